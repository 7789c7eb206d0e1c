import type { BuiltinKernel } from '../builtin-kernel.js';
import { elementwiseTolerance } from './elementwise.js';
import { bytesOf, elementsOf } from './tensor-bytes.js';

export const add: BuiltinKernel = {
  name: 'add',
  summary: 'z = x + y',
  file: 'add.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  setup: (size) => ({ uniforms: { n: [size] } }),
  reference: (inputs) => {
    const x = inputs.get('x') ?? [];
    const y = inputs.get('y') ?? [];
    return Float64Array.from(x, (v, i) => v + (y[i] ?? 0));
  },
  tolerance: elementwiseTolerance,
  // Reads x and y, writes z; one add per element.
  work: (plan) => [
    {
      name: 'main',
      bytesRead: bytesOf(plan, 'x') + bytesOf(plan, 'y'),
      bytesWritten: bytesOf(plan, 'z'),
      flops: elementsOf(plan, 'z'),
    },
  ],
};
