import { isFloat } from '../../tensors/dtype.js';
import { gridSize } from '../dispatch-grid.js';
import type { KernelSpec } from '../kernel-spec.js';
import { linearDispatch } from './elementwise.js';

export const reduceSum: KernelSpec = {
  name: 'reduce_sum',
  summary: 'out = sum(x): partial sums per 256-element block, then one workgroup folds them',
  file: 'reduce_sum.wgsl',
  bindings: [
    { binding: 0, name: 'x', kind: 'read' },
    { binding: 1, name: 'partial', kind: 'read-write' },
    { binding: 2, name: 'out', kind: 'read-write' },
    { binding: 3, name: 'params', kind: 'uniform' },
  ],
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  plan: (size, limits) => {
    const first = linearDispatch(size, limits, 'partial_sums');
    // Groups past the last block exist when the grid is two-dimensional; they write zeros.
    const partials = gridSize(first.workgroups);
    return {
      tensors: [
        { name: 'x', binding: 0, role: 'input', shape: [size] },
        { name: 'partial', binding: 1, role: 'scratch', shape: [partials] },
        { name: 'out', binding: 2, role: 'output', shape: [1] },
        { name: 'params', binding: 3, role: 'params', shape: [4] },
      ],
      params: new Uint32Array([size, partials, 0, 0]),
      dispatches: [first, { entry: 'final_sum', workgroups: [1, 1, 1] }],
      result: 'out',
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
};
