import type { KernelSpec } from '../kernel-spec.js';
import { elementwiseTolerance, f32Bits, linearDispatch } from './elementwise.js';

const VALUE = 3;

export const fill: KernelSpec = {
  name: 'fill',
  summary: `y[i] = ${VALUE}`,
  file: 'fill.wgsl',
  bindings: [
    { binding: 0, name: 'y', kind: 'read-write' },
    { binding: 1, name: 'params', kind: 'uniform' },
  ],
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  plan: (size, limits) => ({
    tensors: [
      { name: 'y', binding: 0, role: 'output', shape: [size] },
      { name: 'params', binding: 1, role: 'params', shape: [4] },
    ],
    params: new Uint32Array([size, f32Bits(VALUE), 0, 0]),
    dispatches: [linearDispatch(size, limits)],
    result: 'y',
  }),
  reference: (_inputs, plan) => new Float64Array(plan.tensors[0]?.shape[0] ?? 0).fill(VALUE),
  tolerance: elementwiseTolerance,
};
