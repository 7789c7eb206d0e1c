import type { KernelPlan } from '../kernels/kernel-plan.js';
import type { TensorAllocator } from '../tensors/allocator.js';
import { tensorSpec, type TensorSpec } from '../tensors/buffers.js';
import type { HostArray } from '../tensors/dtype.js';
import type { Tensor, TensorDescriptor } from '../tensors/tensor.js';

/** What to allocate for each tensor of a plan; a uniform block is u32 words bound as a uniform. */
export function tensorDescriptors(plan: KernelPlan): TensorDescriptor[] {
  return plan.tensors.map((t) =>
    t.role === 'uniform'
      ? { name: t.name, dtype: 'u32', shape: t.shape, uniform: true }
      : { name: t.name, dtype: t.dtype, shape: t.shape },
  );
}

/**
 * The plan's tensors in plan order, each with its data from `inputs` (makeHostInputs holds the
 * inputs and uniform words only, so outputs and scratch get none). Worked out once, off the op's
 * timed path.
 */
export function planAllocations(plan: KernelPlan, inputs: ReadonlyMap<string, HostArray>): TensorSpec[] {
  return tensorDescriptors(plan).map((descriptor) => tensorSpec(descriptor, inputs.get(descriptor.name)));
}

/** Creates the tensors, appending them to `into` (an op's reused array) in plan order. */
export function createTensors(
  allocator: TensorAllocator,
  specs: readonly TensorSpec[],
  into: Tensor[] = [],
): Tensor[] {
  // An indexed loop, as a hand-written driver would have it: no iterator on the timed path.
  for (let k = 0; k < specs.length; k++) into.push(allocator.create(specs[k] as TensorSpec));
  return into;
}
