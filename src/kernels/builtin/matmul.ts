import { isFloat } from '../../tensors/dtype.js';
import type { KernelSpec } from '../kernel-spec.js';

const TILE = 16;

/** The side of the square matrices for a `size`-element op: each matrix holds about `size` elements. */
export function matmulSide(size: number): number {
  return Math.max(1, Math.round(Math.sqrt(size)));
}

export const matmul: KernelSpec = {
  name: 'matmul',
  summary: 'c = a * b, square matrices of about --size elements each, 16x16 tiles in workgroup memory',
  file: 'matmul.wgsl',
  bindings: [
    { binding: 0, name: 'a', kind: 'read' },
    { binding: 1, name: 'b', kind: 'read' },
    { binding: 2, name: 'c', kind: 'read-write' },
    { binding: 3, name: 'params', kind: 'uniform' },
  ],
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  plan: (size) => {
    const n = matmulSide(size);
    const tiles = Math.ceil(n / TILE);
    return {
      tensors: [
        { name: 'a', binding: 0, role: 'input', shape: [n, n] },
        { name: 'b', binding: 1, role: 'input', shape: [n, n] },
        { name: 'c', binding: 2, role: 'output', shape: [n, n] },
        { name: 'params', binding: 3, role: 'params', shape: [4] },
      ],
      params: new Uint32Array([n, n, n, 0]),
      dispatches: [{ entry: 'main', workgroups: [tiles, tiles, 1] }],
      result: 'c',
    };
  },
  reference: (inputs, plan) => {
    const a = inputs.get('a') ?? [];
    const b = inputs.get('b') ?? [];
    const n = plan.tensors[0]?.shape[0] ?? 0;
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k] ?? 0;
        for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] ?? 0) + aik * (b[k * n + j] ?? 0);
      }
    }
    return c;
  },
  // Each output sums n products of values in [-1, 1): its rounding error grows with n.
  tolerance: (dtype, plan) => {
    if (!isFloat(dtype)) return { abs: 0, rel: 0 };
    const n = plan.tensors[0]?.shape[0] ?? 1;
    return dtype === 'f16' ? { abs: 2e-3 * n, rel: 1e-2 } : { abs: 1e-6 * n, rel: 1e-5 };
  },
};
