import type { BuiltinKernel } from '../builtin-kernel.js';
import { elementwiseTolerance } from './elementwise.js';
import { bytesOf, elementsOf } from './tensor-bytes.js';

// Integers so that the same parameters are exact for every dtype.
const A = 2;
const B = 1;

export const scale: BuiltinKernel = {
  name: 'scale',
  summary: `y = ${A} * x + ${B}`,
  file: 'scale.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  setup: (size) => ({ uniforms: { n: [size], a: [A], b: [B] } }),
  reference: (inputs) => Float64Array.from(inputs.get('x') ?? [], (x) => A * x + B),
  tolerance: elementwiseTolerance,
  // Reads x, writes y; a multiply and an add per element.
  work: (plan) => [
    {
      name: 'main',
      bytesRead: bytesOf(plan, 'x'),
      bytesWritten: bytesOf(plan, 'y'),
      flops: 2 * elementsOf(plan, 'y'),
    },
  ],
};
