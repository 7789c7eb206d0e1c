import { WGPROF_DEVICE_LABEL } from '../device/device-label.js';
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
const patched = new WeakSet<object>();
/** The device each command encoder came from: a pass's timestamps go to its device's query set. */
const encoderDevice = new WeakMap<GPUCommandEncoder, GPUDevice>();
const passEntry = new WeakMap<GPUComputePassEncoder, Parameters<OpRecorder['pipelineSet']>[0]>();

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

/** Replaces `proto[name]` with `wrap(original)`. */
function patch(proto: object, name: string, wrap: (original: Method) => Method): void {
  const original = (proto as Record<string, Method>)[name];
  if (typeof original !== 'function') return;
  Object.defineProperty(proto, name, { value: wrap(original), writable: true, configurable: true });
}

/** The bytes a writeBuffer call moves: `size` counts elements of a typed array, bytes otherwise. */
export function writeBufferBytes(data: unknown, dataOffset = 0, size?: number): number {
  if (!ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer) && !(data instanceof SharedArrayBuffer))
    return 0;
  const unit = ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data ? Number(data.BYTES_PER_ELEMENT) : 1;
  if (size !== undefined) return size * unit;
  return data.byteLength - dataOffset * unit;
}

/** Patches the classes once (a second call, or the same package again, does nothing). */
export function instrumentWebGpu(classes: WebGpuClasses): void {
  if (patched.has(classes.GPUDevice.prototype)) return;
  patched.add(classes.GPUDevice.prototype);

  const { GPUAdapter, GPUDevice, GPUQueue, GPUCommandEncoder, GPUComputePassEncoder, GPUBuffer } = classes;
  // A device the op opens itself gets timestamp-query where the adapter has it, so its passes
  // can be timed as wgprof's own are.
  patch(
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
    GPUBuffer.prototype,
    'destroy',
    (original) =>
      function (this: unknown) {
        active?.bufferDestroyed(this as GPUBuffer);
        return original.call(this);
      },
  );
  patch(
    GPUQueue.prototype,
    'submit',
    (original) =>
      function (this: unknown, buffers?: unknown) {
        active?.submitted();
        return original.call(this, buffers);
      },
  );
  patch(
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
    GPUQueue.prototype,
    'writeTexture',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        if (active) active.uploaded(writeBufferBytes(args[1]));
        return original.apply(this, args);
      },
  );
  patch(
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
      GPUComputePassEncoder.prototype,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          active?.dispatched();
          return original.apply(this, args);
        },
    );
  }
}
