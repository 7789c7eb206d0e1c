import type { CompiledKernel } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import { encodeAndSubmit, tensorDescriptors } from '../op/op-tensors.js';
import type { TensorAllocator } from '../tensors/allocator.js';
import type { HostArray } from '../tensors/dtype.js';
import type { Tensor, TensorDescriptor } from '../tensors/tensor.js';

/**
 * The work of PreparedOp.run (create the tensors, encode and submit, await the GPU, release),
 * with the same awaits and none of its clock readings: the bench's op without instrumentation.
 * Keep it in step with prepared-op.ts.
 */
export class BareOp {
  private readonly descriptors: readonly TensorDescriptor[];
  private readonly uploads: readonly (HostArray | undefined)[];
  private readonly tensors: Tensor[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly kernel: CompiledKernel,
    private readonly plan: KernelPlan,
    inputs: ReadonlyMap<string, HostArray>,
    private readonly allocator: TensorAllocator,
  ) {
    this.descriptors = tensorDescriptors(plan);
    this.uploads = plan.tensors.map((t) =>
      t.role === 'input' || t.role === 'uniform' ? inputs.get(t.name) : undefined,
    );
  }

  async run(): Promise<void> {
    const { allocator, tensors } = this;
    try {
      for (let k = 0; k < this.descriptors.length; k++) {
        tensors.push(allocator.create(this.descriptors[k] as TensorDescriptor, this.uploads[k]));
      }
      encodeAndSubmit(this.device, this.kernel, this.plan, tensors);
      await this.device.queue.onSubmittedWorkDone();
    } finally {
      for (const t of tensors) allocator.release(t);
      tensors.length = 0;
    }
  }
}
