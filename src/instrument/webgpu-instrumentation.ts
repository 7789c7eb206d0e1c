import type { OpRecorder } from './op-recorder.js';

/**
 * wgprof's instrumentation of WebGPU: the prototypes of a `webgpu` package's classes, patched
 * once per thread, so that every device of the thread is seen, the ones an op opens itself (a
 * library calling navigator.gpu.requestDevice) as much as wgprof's own. The patches report to
 * the recorder that is active (one op at a time per thread) and, with none active, only check
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

let active: OpRecorder | undefined;
/** The device each command encoder came from: a pass's timestamps go to its device's query set. */
const encoderDevice = new WeakMap<GPUCommandEncoder, GPUDevice>();
const passEntry = new WeakMap<GPUComputePassEncoder, Parameters<OpRecorder['pipelineSet']>[0]>();

/** The label of the devices wgprof opens for itself. */
export const WGPROF_DEVICE_LABEL = 'wgprof';

/**
 * Where uncaptured errors of the devices an op opens itself go: without a listener, Dawn prints
 * them to stdout, into wgprof's tables and JSON. The listener holds no reference to its device
 * (dawn.node keeps listeners alive from native code, and would keep the device with them).
 */
let onDeviceError: ((kind: string, message: string) => void) | undefined;

/** Sets where the op's own devices' uncaptured errors are reported (the op's error list). */
export function setDeviceErrorSink(sink: ((kind: string, message: string) => void) | undefined): void {
  onDeviceError = sink;
}

function reportUncaptured(event: GPUUncapturedErrorEvent): void {
  event.preventDefault();
  onDeviceError?.(event.error.constructor.name, event.error.message.trim());
}

function listenForErrors(device: GPUDevice): GPUDevice {
  device.addEventListener('uncapturederror', reportUncaptured);
  return device;
}

/** Makes `recorder` the one the patches report to (undefined: none, between ops). */
export function setActiveRecorder(recorder: OpRecorder | undefined): void {
  active = recorder;
}

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

/** The wrapper of `proto[name]` by `wrap(original)`, pushed onto `methods` (not yet applied). */
function patch(
  methods: PatchedMethod[],
  proto: object,
  name: string,
  wrap: (original: Method) => Method,
): void {
  const original = (proto as Record<string, Method>)[name];
  if (typeof original !== 'function') return;
  methods.push({
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
  const methods: PatchedMethod[] = [];
  const { GPUAdapter, GPUDevice, GPUQueue, GPUCommandEncoder, GPUComputePassEncoder, GPUBuffer } = classes;
  // A device the op opens itself gets timestamp-query where the adapter has it, so its passes
  // can be timed as wgprof's own are.
  patch(
    methods,
    GPUAdapter.prototype,
    'requestDevice',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        const given = (descriptor ?? {}) as GPUDeviceDescriptor;
        const features = [...(given.requiredFeatures ?? [])];
        if ((this as GPUAdapter).features.has('timestamp-query') && !features.includes('timestamp-query'))
          features.push('timestamp-query');
        const opening = original.call(this, { ...given, requiredFeatures: features }) as Promise<GPUDevice>;
        // wgprof's own devices (labelled so) have their listener already (device/open-device.ts).
        return given.label === WGPROF_DEVICE_LABEL ? opening : opening.then(listenForErrors);
      },
  );
  patch(
    methods,
    GPUDevice.prototype,
    'createCommandEncoder',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        // Always, not only inside an op: a library may make its encoder before the op that uses it.
        const encoder = original.call(this, descriptor) as GPUCommandEncoder;
        encoderDevice.set(encoder, this as GPUDevice);
        return encoder;
      },
  );
  patch(
    methods,
    GPUDevice.prototype,
    'createBuffer',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        const buffer = original.call(this, descriptor) as GPUBuffer;
        if (active) {
          const d = descriptor as GPUBufferDescriptor;
          active.bufferCreated(buffer, d.mappedAtCreation ? d.size : 0);
        }
        return buffer;
      },
  );
  patch(
    methods,
    GPUBuffer.prototype,
    'destroy',
    (original) =>
      function (this: unknown) {
        active?.bufferDestroyed(this as GPUBuffer);
        return original.call(this);
      },
  );
  patch(
    methods,
    GPUQueue.prototype,
    'submit',
    (original) =>
      function (this: unknown, buffers?: unknown) {
        active?.submitted();
        return original.call(this, buffers);
      },
  );
  patch(
    methods,
    GPUQueue.prototype,
    'writeBuffer',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        if (active)
          active.uploaded(
            writeBufferBytes(args[2], args[3] as number | undefined, args[4] as number | undefined),
          );
        return original.apply(this, args);
      },
  );
  patch(
    methods,
    GPUQueue.prototype,
    'writeTexture',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        if (active) active.uploaded(writeBufferBytes(args[1]));
        return original.apply(this, args);
      },
  );
  patch(
    methods,
    GPUCommandEncoder.prototype,
    'beginComputePass',
    (original) =>
      function (this: unknown, descriptor?: unknown) {
        if (!active) return original.call(this, descriptor);
        const given = descriptor as GPUComputePassDescriptor | undefined;
        const own = given?.timestampWrites !== undefined;
        const device = encoderDevice.get(this as GPUCommandEncoder);
        const { entry, writes } = active.passBegun(device, own, given?.label);
        const pass = original.call(this, writes ? { ...given, timestampWrites: writes } : descriptor);
        passEntry.set(pass as GPUComputePassEncoder, entry);
        return pass;
      },
  );
  patch(
    methods,
    GPUComputePassEncoder.prototype,
    'setPipeline',
    (original) =>
      function (this: unknown, pipeline?: unknown) {
        if (active) {
          const entry = passEntry.get(this as GPUComputePassEncoder);
          if (entry) active.pipelineSet(entry, (pipeline as GPUComputePipeline).label);
        }
        return original.call(this, pipeline);
      },
  );
  for (const name of ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect']) {
    patch(
      methods,
      GPUComputePassEncoder.prototype,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          active?.dispatched();
          return original.apply(this, args);
        },
    );
  }
  return methods;
}
