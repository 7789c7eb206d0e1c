import type { CompiledKernel } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import type { TensorAllocator } from '../tensors/allocator.js';
import type { HostArray } from '../tensors/dtype.js';
import { readTensor } from '../tensors/readback.js';
import type { Tensor } from '../tensors/tensor.js';
import { createTensors, encodeAndSubmit, planAllocations, type Allocation } from './op-tensors.js';
import type { OpTiming } from './op-timing.js';

/**
 * One op, ready to run again and again: creation -> kernel -> sync (-> readback). Everything that
 * does not belong to an op (compiling, planning, generating input data) is done once, here in
 * the constructor, so that `run` times only the op.
 */
export class PreparedOp {
  private readonly allocations: readonly Allocation[];
  private readonly resultIndex: number;
  private readonly tensors: Tensor[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly kernel: CompiledKernel,
    private readonly plan: KernelPlan,
    inputs: ReadonlyMap<string, HostArray>,
    private readonly allocator: TensorAllocator,
    private readonly readback: boolean,
  ) {
    this.allocations = planAllocations(plan, inputs);
    for (const d of plan.dispatches) {
      if (!kernel.pipelines.has(d.entry))
        throw new Error(`kernel '${kernel.source.name}' has no compiled entry point '${d.entry}'`);
    }
    this.resultIndex = plan.tensors.findIndex((t) => t.name === plan.result);
  }

  /**
   * Runs one op and writes its phases into `timing` (not `start` and `total`: the caller measures
   * those around the call, see `runTimed`). Returns the result tensor's contents when readback is
   * on. The op's tensors are released (destroyed or pooled) before it returns, outside any phase.
   */
  async run(
    timing: OpTiming,
    timestampWrites?: GPUComputePassTimestampWrites,
  ): Promise<HostArray | undefined> {
    const { device, allocator, tensors } = this;
    const start = process.hrtime.bigint();
    try {
      createTensors(allocator, this.allocations, tensors);
      const created = process.hrtime.bigint();

      encodeAndSubmit(device, this.kernel, this.plan, tensors, timestampWrites);
      const submitted = process.hrtime.bigint();

      await device.queue.onSubmittedWorkDone();
      const synced = process.hrtime.bigint();

      let result: HostArray | undefined;
      let end = synced;
      if (this.readback) {
        result = await readTensor(device, tensors[this.resultIndex] as Tensor);
        end = process.hrtime.bigint();
      }

      timing.creation = Number(created - start);
      timing.kernelCpu = Number(submitted - created);
      timing.sync = Number(synced - submitted);
      timing.readback = this.readback ? Number(end - synced) : NaN;
      return result;
    } finally {
      for (const t of tensors) allocator.release(t);
      tensors.length = 0;
    }
  }
}

/**
 * Runs `op` and times it from the outside: `start` and `total` come from readings of their own,
 * taken around the call, so whatever the op does outside its phases (releasing its tensors, the
 * promise machinery) shows up as the run's leftover instead of vanishing.
 */
export async function runTimed(
  op: PreparedOp,
  timing: OpTiming,
  timestampWrites?: GPUComputePassTimestampWrites,
): Promise<HostArray | undefined> {
  const start = process.hrtime.bigint();
  const result = await op.run(timing, timestampWrites);
  timing.total = Number(process.hrtime.bigint() - start);
  timing.start = start;
  return result;
}
