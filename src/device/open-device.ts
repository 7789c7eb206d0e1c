import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'webgpu';
import { noAdapterError, gpuError, messageOf } from '../errors.js';
import { backendAttempts, type BackendAttempt, type BackendChoice } from './backend.js';
import { describeDevice, PROFILED_LIMITS, type DeviceInfo } from './device-info.js';
import { WGPROF_DEVICE_LABEL } from './device-label.js';

export interface OpenDeviceOptions {
  /** `auto` (default) tries the platform's own API, then OpenGL ES. */
  readonly backend?: BackendChoice;
  /** A substring of the adapter's name, passed to Dawn's `adapter=` toggle. */
  readonly adapter?: string;
  /** Keep Dawn's 64 us timestamp quantization (default: off, so GPU times are exact). */
  readonly quantizeTimestamps?: boolean;
}

/** A GPU error that no error scope caught, kept instead of letting Dawn print it to stdout. */
export interface UncapturedGpuError {
  readonly kind: string;
  readonly message: string;
}

/** An open device and what wgprof knows about it. Close it when done: devices leak native memory. */
export interface GpuContext {
  readonly device: GPUDevice;
  /** The adapter and the GPU object it came from (created with the run's flags): an op module's `ctx`. */
  readonly adapter: GPUAdapter;
  readonly gpu: GPU;
  readonly info: DeviceInfo;
  /** Uncaptured errors since the device opened; the op loop watches its length. */
  readonly errors: UncapturedGpuError[];
  /** Set once the device is lost for any reason other than `close()`, or abandoned. */
  readonly lost: { reason: string; message: string } | undefined;
  /**
   * Gives up on a device whose queue does not finish (a kernel that never ends): it counts as lost
   * from now on, and `close()` leaves it alone, because destroying it waits for the queue forever
   * (seen on lavapipe). The process can still exit.
   */
  abandon(message: string): void;
  close(): void;
  /**
   * Closes the device if its queue has finished all its work within `waitMs`, even once abandoned
   * (an op that hung on something other than the GPU leaves an idle queue); true once the device
   * is destroyed. A queue still at work is left alone: false.
   */
  closeIfIdle(waitMs: number): Promise<boolean>;
}

/** True once `abandon()` gave up on the device: nothing of it may be destroyed (that would wait). */
export function isStuck(ctx: GpuContext): boolean {
  return ctx.lost?.reason === 'stuck';
}

/**
 * dawn.node crashes the process if the object returned by `create()` is garbage-collected while
 * one of its devices lives, so every instance stays referenced here until its device is closed.
 */
const liveInstances = new Set<GPU>();

/**
 * Linux's native stacks want a few variables that a headless machine lacks: without
 * XDG_RUNTIME_DIR Mesa complains on stderr, and EGL needs the surfaceless platform without a display.
 */
function prepareEnvironment(attempt: BackendAttempt): void {
  if (process.platform !== 'linux') return;
  process.env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'wgprof-xdg-'));
  if (attempt.backend === 'opengles' || attempt.backend === 'opengl')
    process.env.EGL_PLATFORM ??= 'surfaceless';
}

function instanceFlags(attempt: BackendAttempt, options: OpenDeviceOptions): string[] {
  const flags = [`backend=${attempt.backend}`];
  if (options.adapter) flags.push(`adapter=${options.adapter}`);
  if (!options.quantizeTimestamps) flags.push('disable-dawn-features=timestamp_quantization');
  return flags;
}

async function requestAdapterFor(
  attempt: BackendAttempt,
  options: OpenDeviceOptions,
): Promise<{ gpu: GPU; adapter: GPUAdapter } | undefined> {
  prepareEnvironment(attempt);
  const gpu = create(instanceFlags(attempt, options));
  const adapter = await gpu.requestAdapter({ featureLevel: attempt.featureLevel });
  return adapter ? { gpu, adapter } : undefined;
}

/** The features worth having when the adapter offers them: exact GPU times, and f16 tensors. */
const WANTED_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'shader-f16'];

/**
 * Opens an adapter and device by trying each backend that `options.backend` stands for, in order.
 * Throws a WgprofError (no adapter) that says what was tried and how to get a working one.
 */
export async function openDevice(options: OpenDeviceOptions = {}): Promise<GpuContext> {
  const attempts = backendAttempts(options.backend ?? 'auto');
  const failures: string[] = [];
  for (const attempt of attempts) {
    let found: { gpu: GPU; adapter: GPUAdapter } | undefined;
    try {
      found = await requestAdapterFor(attempt, options);
    } catch (error) {
      failures.push(`${attempt.backend}: ${messageOf(error)}`);
      continue;
    }
    if (!found) {
      failures.push(`${attempt.backend} (${attempt.featureLevel}): no adapter`);
      continue;
    }
    return openOn(found.gpu, found.adapter, attempt, options);
  }
  throw noAdapterError(
    `no WebGPU adapter could be opened (tried ${failures.join('; ')}). ` + noAdapterAdvice(),
  );
}

export function noAdapterAdvice(): string {
  if (process.platform === 'linux') {
    return "On Debian or Ubuntu without a GPU, run scripts/setup-software-gpu.sh once to install Mesa's lavapipe; then `wgprof doctor` lists what it finds.";
  }
  return 'Check that the GPU driver is installed; `wgprof doctor` lists what it finds.';
}

async function openOn(
  gpu: GPU,
  adapter: GPUAdapter,
  attempt: BackendAttempt,
  options: OpenDeviceOptions,
): Promise<GpuContext> {
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  // The adapter's own limits rather than WebGPU's defaults (a 256 MiB buffer, a 128 MiB binding):
  // a profiler must run the sizes the hardware can, not only the sizes every device can.
  const requiredLimits = Object.fromEntries(PROFILED_LIMITS.map((name) => [name, adapter.limits[name]]));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: WGPROF_DEVICE_LABEL, requiredFeatures, requiredLimits });
  } catch (error) {
    throw gpuError(`the ${attempt.backend} adapter refused to open a device: ${messageOf(error)}`);
  }
  liveInstances.add(gpu);
  const errors: UncapturedGpuError[] = [];
  let lost: { reason: string; message: string } | undefined;
  let closing = false;
  // Without a listener that calls preventDefault(), Dawn prints uncaptured errors to stdout,
  // where they would garble wgprof's tables and JSON.
  const onError = (event: GPUUncapturedErrorEvent): void => {
    event.preventDefault();
    const error = event.error;
    errors.push({ kind: error.constructor.name, message: error.message.trim() });
  };
  device.addEventListener('uncapturederror', onError);
  let destroyed = false;
  const destroy = (): void => {
    destroyed = true;
    device.destroy();
    // dawn.node holds the listener from native code, and its closure holds the device: without
    // this, every closed device (and its threads) lived until the process ended (found by the bench).
    device.removeEventListener('uncapturederror', onError);
    // The instance must outlive the device's last native callback; releasing it on the next
    // macrotask gives dawn.node the turn it needs to settle `lost`.
    setTimeout(() => liveInstances.delete(gpu), 0).unref();
  };
  void device.lost.then((info) => {
    if (!closing) lost = { reason: info.reason, message: info.message.trim() };
  });
  const info = describeDevice(adapter, device, attempt, !options.quantizeTimestamps);
  return {
    device,
    adapter,
    gpu,
    info,
    errors,
    get lost() {
      return lost;
    },
    abandon(message) {
      lost ??= { reason: 'stuck', message };
      closing = true;
    },
    close() {
      if (closing) return;
      closing = true;
      destroy();
    },
    async closeIfIdle(waitMs) {
      if (destroyed) return true;
      if (!closing) {
        closing = true;
        destroy();
        return true;
      }
      if (!(await finishesWithin(device.queue.onSubmittedWorkDone(), waitMs))) return false;
      destroy();
      return true;
    },
  };
}

/** Whether `work` settles within `ms`. */
async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
