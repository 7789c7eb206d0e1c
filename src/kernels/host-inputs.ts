import { DTYPE_INFO, type HostArray } from '../tensors/dtype.js';
import { elementCount } from '../tensors/tensor.js';
import type { KernelPlan } from './kernel-plan.js';

/**
 * Deterministic input data for every input tensor of a plan, generated once per run (outside any
 * op), plus the uniform blocks' words. Floats lie in [-1, 1), unsigned integers in [0, 10), signed
 * ones in [-5, 5): small enough that sums and products stay exact for integers and well inside
 * f16's range.
 */
export function makeHostInputs(plan: KernelPlan, seed = 0x5eed): Map<string, HostArray> {
  const inputs = new Map<string, HostArray>();
  let state = seed >>> 0;
  // xorshift32: fast, and enough for test data.
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  for (const tensor of plan.tensors) {
    if (tensor.data) inputs.set(tensor.name, Uint32Array.from(tensor.data));
    if (tensor.role !== 'input') continue;
    const { dtype } = tensor;
    const data = DTYPE_INFO[dtype].allocate(elementCount(tensor.shape));
    for (let i = 0; i < data.length; i++) {
      const r = next();
      data[i] = dtype === 'u32' ? Math.floor(r * 10) : dtype === 'i32' ? Math.floor(r * 10) - 5 : r * 2 - 1;
    }
    inputs.set(tensor.name, data);
  }
  return inputs;
}
