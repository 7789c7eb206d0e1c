import { WGPROF_DEVICE_LABEL } from '../device/device-label.js';
import {
  CREATION_CALLS,
  type InstrumentationHook,
  type PassEntry,
  type WaitKind,
} from './instrumentation-hook.js';
import { soleComputeEntry } from './compute-entry.js';
import { Tag } from './object-tag.js';

/**
 * wgprof's instrumentation of WebGPU: the prototypes of a `webgpu` package's classes, patched
 * once per thread, so that every device of the thread is seen, the ones an op opens itself (a
 * library calling navigator.gpu.requestDevice) as much as wgprof's own. The patches report to
 * the hook that is active (instrumentation-hook.ts: the op recorder, one op at a time per thread,
 * or a whole program's trace recorder) and, with none active, only check
 * that and call through. Prototypes rather than objects: a library keeps its `instanceof`
 * checks, and objects made before the patch are patched too.
 */

/** The classes of a `webgpu` package that the instrumentation patches (its `globals`). */
export interface WebGpuClasses {
  readonly GPUAdapter: { prototype: GPUAdapter };
  readonly GPUDevice: { prototype: GPUDevice };
  readonly GPUQueue: { prototype: GPUQueue };
  readonly GPUCommandEncoder: { prototype: GPUCommandEncoder };
  readonly GPUComputePassEncoder: { prototype: GPUComputePassEncoder };
  readonly GPUBuffer: { prototype: GPUBuffer };
}

let active: InstrumentationHook | undefined;
/** The device each command encoder came from: a pass's timestamps go to its device's query set. */
const encoderDevice = new Tag<GPUCommandEncoder, GPUDevice>('device');
/** The device of each buffer and queue, for the waits on them. */
const bufferDevice = new Tag<GPUBuffer, GPUDevice>('device');
const queueDevice = new Tag<GPUQueue, GPUDevice>('device');
/**
 * Devices opened through the patched requestDevice and not destroyed yet: an op module's own (a
 * library opens one in its setup), whose timestamp query sets the op recorder makes before the
 * first timed op, so that a fresh worker's one op is timed on them too.
 */
const opened = new Set<GPUDevice>();

/** The devices opened through the patches since they were applied, and not destroyed. */
export function devicesOpened(): readonly GPUDevice[] {
  return [...opened];
}
const passEntry = new Tag<GPUComputePassEncoder, PassEntry>('pass');
/** What an unlabelled pipeline's passes are named by: its entry point, from its module's WGSL if need be. */
const moduleCode = new Tag<GPUShaderModule, string>('code');
const pipelineEntry = new Tag<GPUComputePipeline, string>('entryPoint');

/** The creation calls whose results {@link keepNames} tags. */
const NAMING_CALLS: ReadonlySet<string> = new Set([
  'createShaderModule',
  'createComputePipeline',
  'createComputePipelineAsync',
]);

/**
 * Keeps a shader module's WGSL, or a compute pipeline's entry point: the descriptor's, else the
 * one @compute function of its module, as WebGPU picks it. Returns `made`.
 */
function keepNames(call: string, descriptor: unknown, made: unknown): unknown {
  if (typeof made !== 'object' || made === null || typeof descriptor !== 'object' || descriptor === null)
    return made;
  if (call === 'createShaderModule') {
    const { code } = descriptor as Partial<GPUShaderModuleDescriptor>;
    if (typeof code === 'string') moduleCode.set(made as GPUShaderModule, code);
    return made;
  }
  const compute = (descriptor as Partial<GPUComputePipelineDescriptor>).compute;
  const code = compute?.module ? moduleCode.get(compute.module) : undefined;
  const entry = compute?.entryPoint || (code === undefined ? undefined : soleComputeEntry(code));
  if (entry) pipelineEntry.set(made as GPUComputePipeline, entry);
  return made;
}

/**
 * Where uncaptured errors of the devices an op opens itself go: without a listener, Dawn prints
 * them to stdout, into wgprof's tables and JSON. The listener holds no reference to its device
 * (dawn.node keeps listeners alive from native code, and would keep the device with them).
 */
let onDeviceError: ((kind: string, message: string) => void) | undefined;
/** False under `wgprof trace`: the program's own errors print as they would without wgprof. */
let catchUncaptured = true;

/** Sets where the op's own devices' uncaptured errors are reported (the op's error list). */
export function setDeviceErrorSink(sink: ((kind: string, message: string) => void) | undefined): void {
  onDeviceError = sink;
}

/** Whether devices opened through the patches get wgprof's uncaptured-error listener (default true). */
export function setCatchUncapturedErrors(on: boolean): void {
  catchUncaptured = on;
}

function reportUncaptured(event: GPUUncapturedErrorEvent): void {
  event.preventDefault();
  onDeviceError?.(event.error.constructor.name, event.error.message.trim());
}

function listenForErrors(device: GPUDevice): GPUDevice {
  if (catchUncaptured) device.addEventListener('uncapturederror', reportUncaptured);
  return device;
}

/**
 * Whether devices opened through the patches get timestamp-query added (default true): false
 * under --gpu-time none, where nothing is timed and the program's device is to be as it asked.
 */
let addTimestampQuery = true;

export function setAddTimestampQuery(on: boolean): void {
  addTimestampQuery = on;
}

/** Makes `recorder` the one the patches report to (undefined: none, between ops). */
export function setActiveRecorder(recorder: InstrumentationHook | undefined): void {
  active = recorder;
}

/** Runs `fn` with no hook active: a recorder's own GPU calls (its read-backs) are not recorded. */
export function withHookOff<T>(fn: () => T): T {
  const saved = active;
  active = undefined;
  try {
    return fn();
  } finally {
    active = saved;
  }
}

const now = (): number => Number(process.hrtime.bigint());

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** One patched method: the prototype's own property as it was, and as the patch makes it. */
interface PatchedMethod {
  readonly proto: object;
  readonly name: string;
  /** Undefined when the method was inherited: restoring then deletes the own property. */
  readonly original: PropertyDescriptor | undefined;
  readonly patched: PropertyDescriptor;
}

/** A package's patches, built once: put on and taken off as a whole, always the same wrappers. */
interface PatchSet {
  readonly methods: readonly PatchedMethod[];
  on: boolean;
  readonly restore: () => void;
}

/** By the package's GPUDevice.prototype: each copy of the `webgpu` package has its own classes. */
const patchSets = new WeakMap<object, PatchSet>();

/** The patches being built (by instrumentWebGpu): `patch` adds to it; nothing is applied yet. */
let building: PatchedMethod[] = [];

/** The wrapper of `proto[name]` by `wrap(original)`, added to the set being built (not yet applied). */
function patch(proto: object, name: string, wrap: (original: Method) => Method): void {
  const original = (proto as Record<string, Method>)[name];
  if (typeof original !== 'function') return;
  building.push({
    proto,
    name,
    original: Object.getOwnPropertyDescriptor(proto, name),
    patched: { value: wrap(original), writable: true, configurable: true },
  });
}

function apply(set: PatchSet): void {
  for (const m of set.methods) Object.defineProperty(m.proto, m.name, m.patched);
  set.on = true;
}

function restore(set: PatchSet): void {
  if (!set.on) return;
  for (const m of set.methods) {
    if (m.original) Object.defineProperty(m.proto, m.name, m.original);
    else Reflect.deleteProperty(m.proto, m.name);
  }
  set.on = false;
}

/** `promise`, with `settled(start, end)` called when it settles (resolved or rejected). */
function timedPromise<T>(
  promise: Promise<T>,
  startNs: number,
  settled: (startNs: number, endNs: number) => void,
): Promise<T> {
  return promise.then(
    (value) => {
      settled(startNs, now());
      return value;
    },
    (error: unknown) => {
      settled(startNs, now());
      throw error;
    },
  );
}

/** The bytes a writeBuffer call moves: `size` counts elements of a typed array, bytes otherwise. */
export function writeBufferBytes(data: unknown, dataOffset = 0, size?: number): number {
  if (!ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer) && !(data instanceof SharedArrayBuffer))
    return 0;
  const unit = ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data ? Number(data.BYTES_PER_ELEMENT) : 1;
  if (size !== undefined) return size * unit;
  return data.byteLength - dataOffset * unit;
}

/**
 * Patches the classes' prototypes, once: a second call, or the same package again, does nothing.
 * Returns the function that takes the patches off again and puts the original methods back
 * (calling it twice does nothing; a later `instrumentWebGpu` puts the same wrappers back on).
 * wgprof itself never takes them off: they stay for the thread's life. The bench does, for the
 * bare arm of its instrumentation row, in the same process as the instrumented one.
 */
export function instrumentWebGpu(classes: WebGpuClasses): () => void {
  const key = classes.GPUDevice.prototype;
  let set = patchSets.get(key);
  if (!set) {
    const methods = buildPatches(classes);
    const built: PatchSet = {
      methods,
      on: false,
      restore: () => {
        restore(built);
      },
    };
    patchSets.set(key, built);
    set = built;
  }
  if (!set.on) apply(set);
  return set.restore;
}

/** The wrappers of every method the instrumentation patches, unapplied. */
function buildPatches(classes: WebGpuClasses): PatchedMethod[] {
  building = [];

  const { GPUAdapter, GPUDevice, GPUQueue, GPUCommandEncoder, GPUComputePassEncoder, GPUBuffer } = classes;
  // A device the op opens itself gets timestamp-query where the adapter has it, so its passes
  // can be timed as wgprof's own are.
  patch(
    GPUAdapter.prototype,
    'requestDevice',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        const given = (descriptor ?? {}) as GPUDeviceDescriptor;
        const adapter = this as GPUAdapter;
        const features = [...(given.requiredFeatures ?? [])];
        if (
          addTimestampQuery &&
          adapter.features.has('timestamp-query') &&
          !features.includes('timestamp-query')
        )
          features.push('timestamp-query');
        const hook = active;
        const start = hook?.timesCalls ? now() : 0;
        const opening = (
          original.call(this, { ...given, requiredFeatures: features }) as Promise<GPUDevice>
        ).then((device) => {
          queueDevice.set(device.queue, device);
          opened.add(device);
          const ready = hook?.timesCalls ? hook.deviceOpened?.(adapter, device, start, now()) : undefined;
          return ready
            ? ready.then(
                () => device,
                () => device,
              )
            : device;
        });
        // wgprof's own devices (labelled so) have their listener already (device/open-device.ts).
        return given.label === WGPROF_DEVICE_LABEL ? opening : opening.then(listenForErrors);
      },
  );
  patch(
    GPUDevice.prototype,
    'createCommandEncoder',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        // Always, not only inside an op: a library may make its encoder before the op that uses it.
        const hook = active;
        const start = hook?.timesCalls ? now() : 0;
        const encoder = original.call(this, descriptor) as GPUCommandEncoder;
        encoderDevice.set(encoder, this as GPUDevice);
        if (hook?.timesCalls) hook.encoderCreated?.(encoder, this as GPUDevice, start, now());
        return encoder;
      },
  );
  patch(
    GPUCommandEncoder.prototype,
    'finish',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        const hook = active;
        if (!hook?.timesCalls) return original.call(this, descriptor);
        const start = now();
        const commandBuffer = original.call(this, descriptor) as GPUCommandBuffer;
        hook.encoderFinished?.(this as GPUCommandEncoder, commandBuffer, start, now());
        return commandBuffer;
      },
  );
  patch(
    GPUDevice.prototype,
    'createBuffer',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        const hook = active;
        const start = hook?.timesCalls ? now() : 0;
        const buffer = original.call(this, descriptor) as GPUBuffer;
        bufferDevice.set(buffer, this as GPUDevice);
        if (hook) {
          const d = descriptor as GPUBufferDescriptor;
          const end = hook.timesCalls ? now() : 0;
          hook.bufferCreated(buffer, d.mappedAtCreation ? d.size : 0, this as GPUDevice, d.size, start, end);
        }
        return buffer;
      },
  );
  for (const name of CREATION_CALLS) {
    // Always for these, not only inside an op: a library makes its pipelines before its ops.
    const naming = NAMING_CALLS.has(name);
    patch(
      GPUDevice.prototype,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          const hook = active;
          const timed = hook?.timesCalls === true && hook.created !== undefined;
          if (!timed && !naming) return original.apply(this, args);
          const start = timed ? now() : 0;
          const made = original.apply(this, args);
          const device = this as GPUDevice;
          if (made instanceof Promise) {
            const done = timed
              ? timedPromise(made, start, (s, e) => hook.created?.(name, device, s, e))
              : made;
            return naming ? done.then((value: unknown) => keepNames(name, args[0], value)) : done;
          }
          if (timed) hook.created?.(name, device, start, now());
          return naming ? keepNames(name, args[0], made) : made;
        },
    );
  }
  patch(
    GPUBuffer.prototype,
    'destroy',
    (original) =>
      function (this: unknown) {
        active?.bufferDestroyed(this as GPUBuffer);
        return original.call(this);
      },
  );
  patch(
    GPUDevice.prototype,
    'destroy',
    (original) =>
      function (this: unknown) {
        opened.delete(this as GPUDevice);
        // A read-back of this device's timestamps in flight: the real destroy waits for it.
        const pending = active?.beforeDestroy?.(this as GPUDevice);
        if (!pending) return original.call(this);
        void pending.finally(() => original.call(this));
        return undefined;
      },
  );
  patch(
    GPUQueue.prototype,
    'submit',
    (original) =>
      function (this: unknown, buffers?: unknown) {
        const hook = active;
        if (!hook) return original.call(this, buffers);
        const list = Array.isArray(buffers) ? (buffers as unknown[]) : [];
        if (!hook.timesCalls) {
          hook.submitted(list, 0, 0, queueDevice.get(this as GPUQueue));
          return original.call(this, buffers);
        }
        const start = now();
        const done = original.call(this, buffers);
        hook.submitted(list, start, now());
        return done;
      },
  );
  patch(
    GPUQueue.prototype,
    'writeBuffer',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const hook = active;
        if (!hook) return original.apply(this, args);
        const bytes = writeBufferBytes(args[2], args[3] as number | undefined, args[4] as number | undefined);
        const start = hook.timesCalls ? now() : 0;
        const done = original.apply(this, args);
        hook.uploaded(bytes, queueDevice.get(this as GPUQueue), start, hook.timesCalls ? now() : 0);
        return done;
      },
  );
  patch(
    GPUQueue.prototype,
    'writeTexture',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const hook = active;
        if (!hook) return original.apply(this, args);
        const start = hook.timesCalls ? now() : 0;
        const done = original.apply(this, args);
        hook.uploaded(
          writeBufferBytes(args[1]),
          queueDevice.get(this as GPUQueue),
          start,
          hook.timesCalls ? now() : 0,
        );
        return done;
      },
  );
  const timedWait =
    (kind: WaitKind, deviceOf: (self: unknown) => GPUDevice | undefined) => (original: Method) =>
      function (this: unknown, ...args: unknown[]) {
        const hook = active;
        if (!hook) return original.apply(this, args);
        const device = deviceOf(this);
        if (!hook.timesCalls || !hook.waited) {
          const settled = hook.waitBegun?.(device);
          const waiting = original.apply(this, args) as Promise<unknown>;
          return settled ? waiting.finally(settled) : waiting;
        }
        hook.beforeWait?.(device);
        const start = now();
        return timedPromise(original.apply(this, args) as Promise<unknown>, start, (s, e) =>
          hook.waited?.(kind, device, s, e),
        );
      };
  patch(
    GPUQueue.prototype,
    'onSubmittedWorkDone',
    timedWait('onSubmittedWorkDone', (self) => queueDevice.get(self as GPUQueue)),
  );
  patch(
    GPUBuffer.prototype,
    'mapAsync',
    timedWait('mapAsync', (self) => bufferDevice.get(self as GPUBuffer)),
  );
  patch(
    GPUCommandEncoder.prototype,
    'beginComputePass',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        if (!active) return original.call(this, descriptor);
        const given = descriptor as GPUComputePassDescriptor | undefined;
        const own = given?.timestampWrites !== undefined;
        const encoder = this as GPUCommandEncoder;
        const device = encoderDevice.get(encoder);
        const { entry, writes } = active.passBegun(device, own, given?.label, encoder);
        const pass = original.call(this, writes ? { ...given, timestampWrites: writes } : descriptor);
        passEntry.set(pass as GPUComputePassEncoder, entry);
        return pass;
      },
  );
  patch(
    GPUComputePassEncoder.prototype,
    'setPipeline',
    (original) =>
      function (this: unknown, pipeline?: unknown) {
        if (active && pipeline) {
          const entry = passEntry.get(this as GPUComputePassEncoder);
          const set = pipeline as GPUComputePipeline;
          if (entry) active.pipelineSet(entry, set.label, pipelineEntry.get(set));
        }
        return original.call(this, pipeline);
      },
  );
  for (const name of ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect']) {
    patch(
      GPUComputePassEncoder.prototype,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          active?.dispatched();
          return original.apply(this, args);
        },
    );
  }
  const methods = building;
  building = [];
  return methods;
}
