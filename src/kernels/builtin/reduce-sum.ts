import { isFloat } from '../../tensors/dtype.js';
import type { BuiltinKernel } from '../builtin-kernel.js';
import { dispatchGrid, gridSize } from '../dispatch-grid.js';
import { bytesOf, elementsOf } from './tensor-bytes.js';

/** Elements each workgroup of the first pass folds (its workgroup size). */
const BLOCK = 256;

export const reduceSum: BuiltinKernel = {
  name: 'reduce_sum',
  summary: 'out = sum(x): partial sums per 256-element block, then one workgroup folds them',
  file: 'reduce_sum.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  setup: (size, limits) => {
    const first = dispatchGrid(Math.ceil(size / BLOCK), limits.maxComputeWorkgroupsPerDimension);
    // Groups past the last block exist when the grid is two-dimensional; they write zeros.
    const partials = gridSize(first);
    return {
      uniforms: { n: [size], partials: [partials] },
      shapes: { partial: [partials], out: [1] },
      roles: { partial: 'scratch' },
      result: 'out',
      dispatches: [
        { entry: 'partial_sums', workgroups: first },
        { entry: 'final_sum', workgroups: [1, 1, 1] },
      ],
    };
  },
  reference: (inputs) => {
    let sum = 0;
    for (const v of inputs.get('x') ?? []) sum += v;
    return [sum];
  },
  // The sum's rounding error grows with the number of terms (about sqrt(n) for a tree).
  tolerance: (dtype, plan) => {
    if (!isFloat(dtype)) return { abs: 0, rel: 0 };
    const n = plan.tensors[0]?.shape[0] ?? 1;
    return dtype === 'f16'
      ? { abs: 0.05 * Math.sqrt(n), rel: 1e-2 }
      : { abs: 1e-5 * Math.sqrt(n), rel: 1e-5 };
  },
  // The first pass reads x and writes a partial sum per block (the grid's spare groups write
  // zeros too); the second reads the partials and writes one sum. An add per element folded.
  work: (plan) => {
    const partials = elementsOf(plan, 'partial');
    return [
      {
        name: 'partial_sums',
        bytesRead: bytesOf(plan, 'x'),
        bytesWritten: bytesOf(plan, 'partial'),
        flops: elementsOf(plan, 'x'),
      },
      {
        name: 'final_sum',
        bytesRead: bytesOf(plan, 'partial'),
        bytesWritten: bytesOf(plan, 'out'),
        flops: partials,
      },
    ];
  },
};
