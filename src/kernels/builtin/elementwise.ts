import { isFloat, type DType } from '../../tensors/dtype.js';
import type { Tolerance } from '../builtin-kernel.js';

/** One rounding of the result's type: exact for integers, a few ulps for floats. */
export function elementwiseTolerance(dtype: DType): Tolerance {
  if (!isFloat(dtype)) return { abs: 0, rel: 0 };
  return dtype === 'f16' ? { abs: 1e-3, rel: 2e-3 } : { abs: 1e-6, rel: 1e-6 };
}
