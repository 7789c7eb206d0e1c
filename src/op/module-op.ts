import type { GpuContext } from '../device/open-device.js';
import { installWebGpuGlobals } from '../instrument/install-globals.js';
import { OpRecorder } from '../instrument/op-recorder.js';
import { setAddTimestampQuery, setDeviceErrorSink } from '../instrument/webgpu-instrumentation.js';
import { messageOf, usageError } from '../errors.js';
import type { Op } from './op.js';
import type { OpWork } from '../work/op-work.js';
import { checkModuleWork } from './resolve-work.js';
import { importOpModule, setupFailure, shownFile, type OpModule, type OpModuleRef } from './op-module.js';

/** Awaits what a module's function returned only when it is a promise: a sync phase costs no await. */
function settle(value: unknown): Promise<void> | undefined {
  return value instanceof Promise ? value.then(() => undefined) : undefined;
}

/**
 * A user's op module as an op: its create, dispatch and sync are the phases, its release runs
 * after each op and its teardown when the thread is done. wgprof does not write its passes, so
 * their GPU time comes from the instrumentation (`recorder`), which times every compute pass
 * the op encodes, on any device of the thread.
 */
export class ModuleOp implements Op {
  readonly readsBack = false;
  readonly recorder = new OpRecorder();

  constructor(
    private readonly module: OpModule,
    private readonly state: unknown,
  ) {}

  /** What the module's `work(args)` says one op does; undefined when it has none. */
  work(ref: OpModuleRef): OpWork | undefined {
    if (!this.module.work) return undefined;
    let answer: unknown;
    try {
      answer = this.module.work(ref.args);
    } catch (error) {
      throw usageError(`--op ${shownFile(ref.file)}: its work() threw: ${messageOf(error)}`);
    }
    return checkModuleWork(shownFile(ref.file), answer);
  }

  /** The module's `name` export, if it has one. */
  get name(): string | undefined {
    return this.module.name;
  }

  create(): Promise<void> | undefined {
    return this.module.create ? settle(this.module.create(this.state)) : undefined;
  }

  dispatch(): Promise<void> | undefined {
    return settle(this.module.dispatch(this.state));
  }

  async sync(): Promise<void> {
    await this.module.sync(this.state);
  }

  readBack(): Promise<unknown> {
    return Promise.reject(new Error('an op module reads back in its own sync'));
  }

  release(): Promise<void> | undefined {
    return this.module.release ? settle(this.module.release(this.state)) : undefined;
  }

  async dispose(): Promise<void> {
    await this.module.teardown?.(this.state);
  }
}

/**
 * Checks the op module in the measuring process before any scenario: imports it, runs its setup
 * and teardown once. Returns its `name` export, if it has one.
 */
export async function preflightOpModule(
  ctx: GpuContext,
  ref: OpModuleRef,
): Promise<{ name: string | undefined; work: OpWork | undefined }> {
  const op = await openModuleOp(ctx, ref);
  const work = op.work(ref);
  try {
    await op.dispose();
  } catch (error) {
    throw usageError(`--op ${shownFile(ref.file)}: teardown threw: ${messageOf(error)}`);
  }
  op.recorder.dispose();
  return { name: op.name, work };
}

/**
 * Opens the run's op module on this thread: the WebGPU globals and navigator.gpu first (a
 * library may look for them as it loads), then the import, then its setup with this thread's
 * device. A setup that throws is the user's error, with the line in their module.
 */
export async function openModuleOp(ctx: GpuContext, ref: OpModuleRef, timed = true): Promise<ModuleOp> {
  installWebGpuGlobals(ctx.gpu);
  // --gpu-time none: the devices the op opens itself get no timestamp-query it did not ask for.
  setAddTimestampQuery(timed);
  // The op's own devices' errors fail its ops as the thread's device's do (the runner watches this list).
  setDeviceErrorSink((kind, message) => ctx.errors.push({ kind, message }));
  const module = await importOpModule(ref.file);
  let state: unknown;
  try {
    state = await module.setup?.({ device: ctx.device, adapter: ctx.adapter, gpu: ctx.gpu, args: ref.args });
  } catch (error) {
    throw setupFailure(ref.file, error);
  }
  return new ModuleOp(module, state);
}
