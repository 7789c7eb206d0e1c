import type { CompiledKernel } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import type { TensorAllocator } from '../tensors/allocator.js';
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

/** One tensor an op creates, with the host data it is created from (inputs and uniform blocks). */
export interface Allocation {
  readonly descriptor: TensorDescriptor;
  readonly upload: HostArray | undefined;
}

/**
 * The plan's tensors in plan order, each with its data from `inputs` (makeHostInputs holds the
 * inputs and uniform words only, so outputs and scratch get none). Worked out once, off the op's
 * timed path.
 */
export function planAllocations(plan: KernelPlan, inputs: ReadonlyMap<string, HostArray>): Allocation[] {
  return tensorDescriptors(plan).map((descriptor) => ({ descriptor, upload: inputs.get(descriptor.name) }));
}

/** Creates the tensors, appending them to `into` (an op's reused array) in plan order. */
export function createTensors(
  allocator: TensorAllocator,
  allocations: readonly Allocation[],
  into: Tensor[] = [],
): Tensor[] {
  for (const { descriptor, upload } of allocations) into.push(allocator.create(descriptor, upload));
  return into;
}

/** Binds `tensors` (in plan order) at the plan's binding numbers. */
export function bindTensors(
  device: GPUDevice,
  kernel: CompiledKernel,
  plan: KernelPlan,
  tensors: readonly Tensor[],
): GPUBindGroup {
  return device.createBindGroup({
    layout: kernel.layout,
    entries: tensors.map((t, k) => ({
      binding: plan.tensors[k]?.binding ?? k,
      resource: { buffer: t.buffer },
    })),
  });
}

/** Records the plan's dispatches, `repeat` times over, in one compute pass. */
export function encodePass(
  device: GPUDevice,
  kernel: CompiledKernel,
  plan: KernelPlan,
  bindGroup: GPUBindGroup,
  options: { repeat?: number; timestampWrites?: GPUComputePassTimestampWrites } = {},
): GPUCommandBuffer {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(
    options.timestampWrites ? { timestampWrites: options.timestampWrites } : {},
  );
  for (let r = 0; r < (options.repeat ?? 1); r++) {
    for (const d of plan.dispatches) {
      const pipeline = kernel.pipelines.get(d.entry);
      if (!pipeline)
        throw new Error(`kernel '${kernel.source.name}' has no compiled entry point '${d.entry}'`);
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
    }
  }
  pass.end();
  return encoder.finish();
}

/** The op's kernel phase: bind, record one pass, submit. */
export function encodeAndSubmit(
  device: GPUDevice,
  kernel: CompiledKernel,
  plan: KernelPlan,
  tensors: readonly Tensor[],
  timestampWrites?: GPUComputePassTimestampWrites,
): void {
  const bindGroup = bindTensors(device, kernel, plan, tensors);
  device.queue.submit([
    encodePass(device, kernel, plan, bindGroup, timestampWrites ? { timestampWrites } : {}),
  ]);
}
