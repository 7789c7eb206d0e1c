import type { KernelSpec } from '../kernel-spec.js';
import { elementwiseTolerance, f32Bits, linearDispatch } from './elementwise.js';

// Integers so that the same parameters are exact for every dtype.
const A = 2;
const B = 1;

export const scale: KernelSpec = {
  name: 'scale',
  summary: `y = ${A} * x + ${B}`,
  file: 'scale.wgsl',
  bindings: [
    { binding: 0, name: 'x', kind: 'read' },
    { binding: 1, name: 'y', kind: 'read-write' },
    { binding: 2, name: 'params', kind: 'uniform' },
  ],
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  plan: (size, limits) => ({
    tensors: [
      { name: 'x', binding: 0, role: 'input', shape: [size] },
      { name: 'y', binding: 1, role: 'output', shape: [size] },
      { name: 'params', binding: 2, role: 'params', shape: [4] },
    ],
    params: new Uint32Array([size, f32Bits(A), f32Bits(B), 0]),
    dispatches: [linearDispatch(size, limits)],
    result: 'y',
  }),
  reference: (inputs) => Float64Array.from(inputs.get('x') ?? [], (x) => A * x + B),
  tolerance: elementwiseTolerance,
};
