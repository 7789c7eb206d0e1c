import type { KernelSpec } from '../kernel-spec.js';

/** The fixed cost of an op: one tensor, one invocation that does nothing. */
export const noop: KernelSpec = {
  name: 'noop',
  summary: 'one invocation that does nothing: the fixed cost of an op',
  file: 'noop.wgsl',
  bindings: [{ binding: 0, name: 'data', kind: 'read-write' }],
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  plan: (size) => ({
    tensors: [{ name: 'data', binding: 0, role: 'input', shape: [size] }],
    dispatches: [{ entry: 'main', workgroups: [1, 1, 1] }],
    result: 'data',
  }),
  // The kernel leaves its tensor as uploaded.
  reference: (inputs) => inputs.get('data') ?? [],
  tolerance: () => ({ abs: 0, rel: 0 }),
};
