import type { CompiledKernel } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import { createTensors, encodeAndSubmit, planAllocations, type Allocation } from '../op/op-tensors.js';
import type { TensorAllocator } from '../tensors/allocator.js';
import type { HostArray } from '../tensors/dtype.js';
import type { Tensor } from '../tensors/tensor.js';

/**
 * The work of PreparedOp.run (create the tensors, encode and submit, await the GPU, release),
 * with the same awaits and none of its clock readings: the bench's op without instrumentation.
 * Keep it in step with prepared-op.ts.
 */
export class BareOp {
  private readonly allocations: readonly Allocation[];
  private readonly tensors: Tensor[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly kernel: CompiledKernel,
    private readonly plan: KernelPlan,
    inputs: ReadonlyMap<string, HostArray>,
    private readonly allocator: TensorAllocator,
  ) {
    this.allocations = planAllocations(plan, inputs);
  }

  async run(): Promise<void> {
    const { allocator, tensors } = this;
    try {
      createTensors(allocator, this.allocations, tensors);
      encodeAndSubmit(this.device, this.kernel, this.plan, tensors);
      await this.device.queue.onSubmittedWorkDone();
    } finally {
      for (const t of tensors) allocator.release(t);
      tensors.length = 0;
    }
  }
}
