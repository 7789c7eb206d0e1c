import type { DType, HostArray } from '../tensors/dtype.js';

/** How a kernel binds a buffer: read-only storage, read-write storage, or uniform parameters. */
export type BindingKind = 'read' | 'read-write' | 'uniform';

export interface BindingSpec {
  readonly binding: number;
  readonly name: string;
  readonly kind: BindingKind;
}

/** One buffer an op allocates: inputs are uploaded, outputs and scratch only allocated. */
export interface PlannedTensor {
  readonly name: string;
  readonly binding: number;
  readonly role: 'input' | 'output' | 'scratch' | 'params';
  readonly shape: readonly number[];
}

export interface PlannedDispatch {
  readonly entry: string;
  readonly workgroups: readonly [number, number, number];
}

/** Everything an op of this kernel at this size needs, decided once per run. */
export interface KernelPlan {
  readonly tensors: readonly PlannedTensor[];
  /** The parameter block's words, uploaded as the `params` tensor; absent when there is none. */
  readonly params?: Uint32Array;
  /** Dispatches recorded in one compute pass, in order. */
  readonly dispatches: readonly PlannedDispatch[];
  /** The output whose contents the CPU reference predicts. */
  readonly result: string;
}

/** Elementwise tolerance: |got - want| <= abs + rel * |want|. */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

export interface DispatchLimits {
  readonly maxComputeWorkgroupsPerDimension: number;
}

/** A built-in kernel: its WGSL file, its bindings, how to size an op, and what it should compute. */
export interface KernelSpec {
  readonly name: string;
  readonly summary: string;
  /** File name in shaders/. */
  readonly file: string;
  readonly bindings: readonly BindingSpec[];
  /** Element types the kernel is written for (f16 also needs the device's `shader-f16`). */
  readonly dtypes: readonly DType[];
  /** Lays out an op on `size` elements (matmul: two square matrices of about `size` elements). */
  plan(size: number, limits: DispatchLimits): KernelPlan;
  /** The expected `result` for the given inputs, computed in float64 on the CPU. */
  reference(inputs: ReadonlyMap<string, HostArray>, plan: KernelPlan): ArrayLike<number>;
  tolerance(dtype: DType, plan: KernelPlan): Tolerance;
}
