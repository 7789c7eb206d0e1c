import type { KernelSpec } from '../kernel-spec.js';
import { elementwiseTolerance, linearDispatch } from './elementwise.js';

export const add: KernelSpec = {
  name: 'add',
  summary: 'z = x + y',
  file: 'add.wgsl',
  bindings: [
    { binding: 0, name: 'x', kind: 'read' },
    { binding: 1, name: 'y', kind: 'read' },
    { binding: 2, name: 'z', kind: 'read-write' },
    { binding: 3, name: 'params', kind: 'uniform' },
  ],
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  plan: (size, limits) => ({
    tensors: [
      { name: 'x', binding: 0, role: 'input', shape: [size] },
      { name: 'y', binding: 1, role: 'input', shape: [size] },
      { name: 'z', binding: 2, role: 'output', shape: [size] },
      { name: 'params', binding: 3, role: 'params', shape: [4] },
    ],
    params: new Uint32Array([size, 0, 0, 0]),
    dispatches: [linearDispatch(size, limits)],
    result: 'z',
  }),
  reference: (inputs) => {
    const x = inputs.get('x') ?? [];
    const y = inputs.get('y') ?? [];
    return Float64Array.from(x, (v, i) => v + (y[i] ?? 0));
  },
  tolerance: elementwiseTolerance,
};
