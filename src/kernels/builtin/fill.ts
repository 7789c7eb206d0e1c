import type { BuiltinKernel } from '../builtin-kernel.js';
import { elementwiseTolerance } from './elementwise.js';
import { bytesOf } from './tensor-bytes.js';

const VALUE = 3;

export const fill: BuiltinKernel = {
  name: 'fill',
  summary: `y[i] = ${VALUE}`,
  file: 'fill.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  setup: (size) => ({ uniforms: { n: [size], value: [VALUE] } }),
  reference: (_inputs, plan) => new Float64Array(plan.tensors[0]?.shape[0] ?? 0).fill(VALUE),
  tolerance: elementwiseTolerance,
  // Writes y; no arithmetic.
  work: (plan) => [{ name: 'main', bytesRead: 0, bytesWritten: bytesOf(plan, 'y'), flops: 0 }],
};
