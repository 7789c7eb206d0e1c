import type { BuiltinKernel } from '../builtin-kernel.js';

/** The fixed cost of an op: one tensor, one invocation that does nothing. */
export const noop: BuiltinKernel = {
  name: 'noop',
  summary: 'one invocation that does nothing: the fixed cost of an op',
  file: 'noop.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  // Uploaded like an op's input, so that the op pays for creating one real tensor.
  setup: () => ({ uniforms: {}, roles: { data: 'input' }, workgroups: [1, 1, 1] }),
  // The kernel leaves its tensor as uploaded.
  reference: (inputs) => inputs.get('data') ?? [],
  tolerance: () => ({ abs: 0, rel: 0 }),
  // It reads and writes nothing: it has no rate, only a time.
  work: () => [{ name: 'main', bytesRead: 0, bytesWritten: 0, flops: 0 }],
};
