import { isFloat } from '../../tensors/dtype.js';
import type { BuiltinKernel } from '../builtin-kernel.js';
import { bytesOf } from './tensor-bytes.js';

const TILE = 16;

/** The side of the square matrices for a `size`-element op: each matrix holds about `size` elements. */
export function matmulSide(size: number): number {
  return Math.max(1, Math.round(Math.sqrt(size)));
}

export const matmul: BuiltinKernel = {
  name: 'matmul',
  summary: 'c = a * b, square matrices of about --size elements each, 16x16 tiles in workgroup memory',
  file: 'matmul.wgsl',
  dtypes: ['f32', 'u32', 'i32', 'f16'],
  setup: (size) => {
    const n = matmulSide(size);
    const tiles = Math.ceil(n / TILE);
    return {
      uniforms: { m: [n], n: [n], k: [n] },
      shapes: { a: [n, n], b: [n, n], c: [n, n] },
      workgroups: [tiles, tiles, 1],
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
  // Reads a and b once each, writes c (what the tiles in workgroup memory save is the point of
  // them: re-reads are not counted); n^3 multiply-adds, 2n^3 operations.
  work: (plan) => {
    const n = plan.tensors.find((t) => t.name === 'c')?.shape[0] ?? 0;
    return [
      {
        name: 'main',
        bytesRead: bytesOf(plan, 'a') + bytesOf(plan, 'b'),
        bytesWritten: bytesOf(plan, 'c'),
        flops: 2 * n ** 3,
      },
    ];
  },
};
