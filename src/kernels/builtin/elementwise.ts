import { isFloat, type DType } from '../../tensors/dtype.js';
import { dispatchGrid } from '../dispatch-grid.js';
import type { DispatchLimits, PlannedDispatch, Tolerance } from '../kernel-spec.js';

/** Workgroup size of the one-dimensional kernels (fill, scale, add, reduce_sum's first pass). */
export const LINEAR_WORKGROUP = 256;

export function linearDispatch(size: number, limits: DispatchLimits, entry = 'main'): PlannedDispatch {
  return {
    entry,
    workgroups: dispatchGrid(Math.ceil(size / LINEAR_WORKGROUP), limits.maxComputeWorkgroupsPerDimension),
  };
}

/** A float32 word's bits, for parameter blocks that carry f32 values among u32 ones. */
export function f32Bits(value: number): number {
  return new Uint32Array(new Float32Array([value]).buffer)[0] ?? 0;
}

/** One rounding of the result's type: exact for integers, a few ulps for floats. */
export function elementwiseTolerance(dtype: DType): Tolerance {
  if (!isFloat(dtype)) return { abs: 0, rel: 0 };
  return dtype === 'f16' ? { abs: 1e-3, rel: 2e-3 } : { abs: 1e-6, rel: 1e-6 };
}
