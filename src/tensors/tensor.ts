import type { DType } from './dtype.js';

/** A tensor is a GPU buffer read as `length` elements of `dtype`, laid out row-major in `shape`. */
export interface Tensor {
  readonly buffer: GPUBuffer;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly length: number;
  readonly byteLength: number;
}

/** What a kernel needs allocated. A kernel's parameters are a small u32 tensor bound as a uniform. */
export interface TensorDescriptor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly uniform?: boolean;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
