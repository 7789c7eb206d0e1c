import type { BuiltinKernel } from '../builtin-kernel.js';
import { elementwiseTolerance } from './elementwise.js';

const VALUE = 3;

export const fill: BuiltinKernel = {
  name: 'fill',
  summary: `y[i] = ${VALUE}`,
  file: 'fill.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  setup: (size) => ({ uniforms: { n: [size], value: [VALUE] } }),
  reference: (_inputs, plan) => new Float64Array(plan.tensors[0]?.shape[0] ?? 0).fill(VALUE),
  tolerance: elementwiseTolerance,
};
