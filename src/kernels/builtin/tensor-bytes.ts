import { DTYPE_INFO } from '../../tensors/dtype.js';
import type { KernelPlan } from '../kernel-plan.js';

/** Elements of the plan's tensor `name` (0 when the plan has none of that name). */
export function elementsOf(plan: KernelPlan, name: string): number {
  const tensor = plan.tensors.find((t) => t.name === name);
  return tensor ? tensor.shape.reduce((a, b) => a * b, 1) : 0;
}

/** Bytes of the plan's tensor `name`: its elements times its dtype's size. */
export function bytesOf(plan: KernelPlan, name: string): number {
  const tensor = plan.tensors.find((t) => t.name === name);
  return tensor ? elementsOf(plan, name) * DTYPE_INFO[tensor.dtype].bytes : 0;
}
