/**
 * Where a device did an op's GPU work relative to `queue.submit()`: within the call, so that
 * submit returned with the work already done and the wait found nothing left to wait for, or
 * after it, while the thread waited. A driver may do either, and settle on one for a device's
 * life: lavapipe runs a queue's work on the submitting thread or hands it to a submit thread of
 * its own, device by device (seen here: a 1K kernel's sync 7 us and kernel CPU 63 us on one
 * device, 66 us and 44 us on the next, in the same program). Which one moves time between the
 * kernel (CPU) and sync phases, and changes the total, without any change in the op or in how
 * it was dispatched; so a replicate says which it was, and a profile whose replicates differ says so.
 */
export type GpuWorkPlacement = 'in-submit' | 'after-submit';

/**
 * A wait shorter than half the GPU time means most of the work was done before the wait began,
 * that is, inside submit: a kernel that ran after submit is waited for in full.
 */
const IN_SUBMIT_SHARE = 0.5;

/** From a replicate's phase medians, ns; undefined without a GPU time and a sync phase. */
export function gpuWorkPlacement(medianNs: {
  readonly kernelGpu?: number;
  readonly sync?: number;
}): GpuWorkPlacement | undefined {
  const { kernelGpu, sync } = medianNs;
  if (kernelGpu === undefined || sync === undefined || !(kernelGpu > 0) || !Number.isFinite(sync))
    return undefined;
  return sync < IN_SUBMIT_SHARE * kernelGpu ? 'in-submit' : 'after-submit';
}

/** "in submit", "after", or "?" where a replicate had no GPU time or sync to tell by. */
export function placementLabel(placement: GpuWorkPlacement | undefined): string {
  if (placement === undefined) return '?';
  return placement === 'in-submit' ? 'in submit' : 'after';
}

/** The placement most of a scenario's replicates had; undefined on a tie or with none known. */
export function usualPlacement(
  places: readonly (GpuWorkPlacement | undefined)[],
): GpuWorkPlacement | undefined {
  const inSubmit = places.filter((p) => p === 'in-submit').length;
  const after = places.filter((p) => p === 'after-submit').length;
  if (inSubmit === after) return undefined;
  return inSubmit > after ? 'in-submit' : 'after-submit';
}
