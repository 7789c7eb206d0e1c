import type { Float16Array } from '@petamoriken/float16';
import { createRequire } from 'node:module';
import { usageError } from '../errors.js';

/**
 * Float16Array, Node's own where it has one (24 and later), else the polyfill, loaded on first
 * use: loading it costs about 13 ms, which every fresh worker would pay (in its init phase) for a
 * dtype most runs never use.
 */
type Float16Polyfill = typeof import('@petamoriken/float16');
let polyfill: Float16Polyfill | undefined;
/** The float16 polyfill, loaded on first use (uniform blocks write f16 members through it too). */
export function float16Polyfill(): Float16Polyfill {
  polyfill ??= createRequire(import.meta.url)('@petamoriken/float16') as Float16Polyfill;
  return polyfill;
}

let float16: typeof Float16Array | undefined;
function Float16(): typeof Float16Array {
  float16 ??=
    (globalThis as { Float16Array?: typeof Float16Array }).Float16Array ?? float16Polyfill().Float16Array;
  return float16;
}

export const DTYPES = ['f32', 'u32', 'i32', 'f16'] as const;
export type DType = (typeof DTYPES)[number];

/** Host-side storage for one tensor's elements. Float16Array comes from a polyfill on Node < 24. */
export type HostArray = Float32Array | Uint32Array | Int32Array | Float16Array;

export interface DTypeInfo {
  /** Bytes per element on the GPU and on the host. */
  readonly bytes: number;
  /** The device feature it needs, if any. */
  readonly feature?: GPUFeatureName;
  allocate(length: number): HostArray;
}

export const DTYPE_INFO: Readonly<Record<DType, DTypeInfo>> = {
  f32: { bytes: 4, allocate: (n) => new Float32Array(n) },
  u32: { bytes: 4, allocate: (n) => new Uint32Array(n) },
  i32: { bytes: 4, allocate: (n) => new Int32Array(n) },
  f16: { bytes: 2, feature: 'shader-f16', allocate: (n) => new (Float16())(n) },
};

export function isFloat(dtype: DType): boolean {
  return dtype === 'f32' || dtype === 'f16';
}

/** Views raw bytes (for example a mapped range) as elements of `dtype`. */
export function viewAs(dtype: DType, bytes: ArrayBuffer, length: number): HostArray {
  switch (dtype) {
    case 'f32':
      return new Float32Array(bytes, 0, length);
    case 'u32':
      return new Uint32Array(bytes, 0, length);
    case 'i32':
      return new Int32Array(bytes, 0, length);
    case 'f16':
      return new (Float16())(bytes, 0, length);
  }
}

/** GPU buffers are sized in multiples of 4 bytes (writeBuffer and mapping require it). */
export function paddedByteLength(dtype: DType, length: number): number {
  return Math.max(4, Math.ceil((length * DTYPE_INFO[dtype].bytes) / 4) * 4);
}

export function parseDType(text: string): DType {
  if (!(DTYPES as readonly string[]).includes(text)) {
    throw usageError(`unknown dtype '${text}': choose one of ${DTYPES.join(', ')}`);
  }
  return text as DType;
}
