/**
 * The phases an op's time divides into, in the order they happen. The core four (creation,
 * kernelCpu, kernelGpu, sync) and readback happen inside the thread that runs the op; spawn,
 * init, handoff and teardown exist only when that thread is a worker. A phase a strategy does
 * not have is absent from its records, never zero.
 */
export const PHASES = [
  'spawn',
  'init',
  'creation',
  'kernelCpu',
  'kernelGpu',
  'sync',
  'readback',
  'handoff',
  'teardown',
] as const;
export type Phase = (typeof PHASES)[number];

/**
 * kernelGpu is the GPU's own time, which runs while the CPU waits in sync: it overlaps the other
 * phases rather than following them, so it is not part of the end-to-end sum.
 */
export function isSequential(phase: Phase): boolean {
  return phase !== 'kernelGpu';
}

export const PHASE_LABEL: Readonly<Record<Phase, string>> = {
  spawn: 'spawn',
  init: 'init',
  creation: 'creation',
  kernelCpu: 'kernel (CPU)',
  kernelGpu: 'kernel (GPU)',
  sync: 'sync',
  readback: 'readback',
  handoff: 'handoff',
  teardown: 'teardown',
};

export const PHASE_MEANING: Readonly<Record<Phase, string>> = {
  spawn: 'Worker constructor until the worker runs',
  init: 'in the worker: loading dawn.node, opening the adapter and device, compiling the kernel',
  creation: "allocating the op's tensors and uploading its inputs",
  kernelCpu: 'bind group, encoding and queue.submit on the CPU',
  kernelGpu: "the compute pass's duration on the GPU, from timestamp queries",
  sync: 'awaiting queue.onSubmittedWorkDone()',
  readback: 'copying the result to a mappable buffer and mapAsync',
  handoff: 'what the main thread waited beyond the time spent inside the worker',
  teardown: 'closing the device and the worker exiting',
};

/** Whether a run's ops record a GPU time: the device has timestamps and --gpu-time is not none. */
export function timesGpu(
  device: { readonly timestamps: boolean },
  config: { readonly gpuTime?: { readonly mode: string } },
): boolean {
  return device.timestamps && config.gpuTime?.mode !== 'none';
}

/** The phases an op records inside the thread that runs it, in order. */
export function corePhases(timestamps: boolean, readback: boolean): Phase[] {
  const phases: Phase[] = ['creation', 'kernelCpu'];
  if (timestamps) phases.push('kernelGpu');
  phases.push('sync');
  if (readback) phases.push('readback');
  return phases;
}
