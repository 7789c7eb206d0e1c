/**
 * What the WebGPU patches (webgpu-instrumentation.ts) report to: one interface, two recorders.
 * The op recorder (op-recorder.ts) counts calls per op of an op module; the trace recorder
 * (trace/trace-recorder.ts) logs every call of a whole program with its CPU time. The patches
 * read the clock only for a hook whose `timesCalls` is true, so the op recorder pays nothing
 * for the trace's timings. Times are process.hrtime.bigint() readings as numbers, ns.
 */

/** A compute pass as both recorders keep it: its own label and the labels of its pipelines. */
export interface PassEntry {
  label: string;
  /** The names of the pipelines it set, in order, without repeats (the op recorder: their labels only). */
  readonly pipelines: string[];
}

/** The kinds of wait for the GPU the patches time. */
export type WaitKind = 'onSubmittedWorkDone' | 'mapAsync';

/** The object-creating device calls the patches time (buffers apart: they have sizes). */
export const CREATION_CALLS = [
  'createShaderModule',
  'createComputePipeline',
  'createComputePipelineAsync',
  'createBindGroup',
  'createBindGroupLayout',
  'createPipelineLayout',
  'createQuerySet',
  'createTexture',
] as const;
export type CreationCall = (typeof CREATION_CALLS)[number] | 'requestDevice';

export interface InstrumentationHook {
  /** True when the patches should read the clock around each call (and call the timed methods). */
  readonly timesCalls: boolean;
  /** A pass begins on `device`: its timestampWrites, or undefined when it cannot be timed. */
  passBegun(
    device: GPUDevice | undefined,
    hasOwnWrites: boolean,
    label: string | undefined,
    encoder: GPUCommandEncoder,
  ): { entry: PassEntry; writes: GPUComputePassTimestampWrites | undefined };
  /** setPipeline in the pass: the pipeline's label ('' when it has none) and its entry point, when known. */
  pipelineSet(entry: PassEntry, label: string, entryPoint: string | undefined): void;
  dispatched(): void;
  /** queue.submit; the times only when `timesCalls`; the queue's device when known. */
  submitted(buffers: readonly unknown[], startNs: number, endNs: number, device?: GPUDevice): void;
  /** writeBuffer or writeTexture; the device when known. */
  uploaded(bytes: number, device: GPUDevice | undefined, startNs: number, endNs: number): void;
  bufferCreated(
    buffer: GPUBuffer,
    mappedBytes: number,
    device: GPUDevice,
    size: number,
    startNs: number,
    endNs: number,
  ): void;
  bufferDestroyed(buffer: GPUBuffer): void;
  /**
   * The program begins a wait for the GPU (onSubmittedWorkDone, mapAsync) on `device`: the
   * function to call once that wait settles, or undefined. Called for a hook that does not time
   * calls (a hook that does gets `waited`): the op recorder learns which submits the op waited for.
   */
  waitBegun?(device: GPUDevice | undefined): (() => void) | undefined;

  // Called only when `timesCalls` is true.
  /**
   * A device was opened: a promise to wait for before the program gets the device (the trace's
   * query set, known to exist only once its error scopes come back), or undefined.
   */
  deviceOpened?(
    adapter: GPUAdapter,
    device: GPUDevice,
    startNs: number,
    endNs: number,
  ): Promise<void> | undefined;
  encoderCreated?(encoder: GPUCommandEncoder, device: GPUDevice, startNs: number, endNs: number): void;
  encoderFinished?(
    encoder: GPUCommandEncoder,
    commandBuffer: GPUCommandBuffer,
    startNs: number,
    endNs: number,
  ): void;
  created?(kind: CreationCall, device: GPUDevice, startNs: number, endNs: number): void;
  /** Just before the program's own wait call: a chance to start reading timestamps beside it. */
  beforeWait?(device: GPUDevice | undefined): void;
  waited?(kind: WaitKind, device: GPUDevice | undefined, startNs: number, endNs: number): void;
  /** device.destroy(): a promise to wait for before the real destroy (a read-back in flight), or undefined. */
  beforeDestroy?(device: GPUDevice): Promise<void> | undefined;
}
