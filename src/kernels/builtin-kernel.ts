import type { DType, HostArray } from '../tensors/dtype.js';
import type { PassWork } from '../work/op-work.js';
import type { DispatchLimits, KernelPlan, PlanSetup } from './kernel-plan.js';

/** Elementwise tolerance: |got - want| <= abs + rel * |want|. */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

/**
 * A built-in kernel: a WGSL file in shaders/ plus what the WGSL cannot say. Its bindings and
 * entry points are read from the file like any user kernel's; the preset only gives the values a
 * user would pass on the command line (uniforms, and shapes or dispatches where they do not
 * follow from --size) and a CPU reference that its results are tested against.
 */
export interface BuiltinKernel {
  readonly name: string;
  readonly summary: string;
  /** File name in shaders/. */
  readonly file: string;
  /** Element types the kernel is written for (f16 also needs the device's `shader-f16`). */
  readonly dtypes: readonly DType[];
  /** The op at `size` elements (matmul: two square matrices of about `size` elements). */
  setup(size: number, limits: DispatchLimits): PlanSetup;
  /** The expected `result` for the given inputs, computed in float64 on the CPU. */
  reference(inputs: ReadonlyMap<string, HostArray>, plan: KernelPlan): ArrayLike<number>;
  tolerance(dtype: DType, plan: KernelPlan): Tolerance;
  /**
   * What one op does, pass by pass: the bytes it must read and write in global memory and its
   * arithmetic operations (work/op-work.ts), from the plan's tensors (their sizes and dtype).
   */
  work(plan: KernelPlan): readonly PassWork[];
}
