import { busyWait, injectedCreationNs } from './cost-injection.js';
import type { PlannedConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { makeHostInputs } from '../kernels/host-inputs.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import { KernelRegistry, type CompiledKernel } from '../kernels/kernel-registry.js';
import { createAllocator, type TensorAllocator } from '../tensors/allocator.js';
import type { HostArray } from '../tensors/dtype.js';
import { readTensor } from '../tensors/readback.js';
import type { Tensor } from '../tensors/tensor.js';
import type { Op } from './op.js';
import type { TensorSpec } from '../tensors/buffers.js';
import { createTensors, planAllocations } from './op-tensors.js';
import { compileOp } from './compile-op.js';
import { PassRecipe } from './pass-recipe.js';

/**
 * One WGSL kernel as an op: creation allocates the plan's tensors and uploads its inputs,
 * dispatch binds them and submits one compute pass, sync awaits the queue, readback copies the
 * result tensor out. The kernel is compiled, the plan laid out and the input data generated once,
 * when the op is opened, so that the phases time only the op.
 */
export class KernelOp implements Op {
  private readonly specs: readonly TensorSpec[];
  private readonly pass: PassRecipe;
  private readonly resultIndex: number;
  private readonly tensors: Tensor[] = [];

  constructor(
    private readonly device: GPUDevice,
    kernel: CompiledKernel,
    plan: KernelPlan,
    inputs: ReadonlyMap<string, HostArray>,
    private readonly allocator: TensorAllocator,
    readonly readsBack: boolean,
  ) {
    this.specs = planAllocations(plan, inputs);
    this.pass = new PassRecipe(device, kernel, plan);
    this.resultIndex = plan.tensors.findIndex((t) => t.name === plan.result);
  }

  create(): undefined {
    createTensors(this.allocator, this.specs, this.tensors);
    if (injectedCreationNs > 0) busyWait(injectedCreationNs);
    return undefined;
  }

  dispatch(timestampWrites: GPUComputePassTimestampWrites | undefined): undefined {
    this.pass.submit(this.tensors, timestampWrites);
    return undefined;
  }

  sync(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone();
  }

  readBack(): Promise<HostArray> {
    return readTensor(this.device, this.tensors[this.resultIndex] as Tensor);
  }

  release(): undefined {
    for (const t of this.tensors) this.allocator.release(t);
    this.tensors.length = 0;
    return undefined;
  }

  dispose(): undefined {
    this.allocator.dispose();
    return undefined;
  }
}

/** Compiles the run's kernel on this thread's device and readies it as an op. */
export async function openKernelOp(ctx: GpuContext, config: PlannedConfig): Promise<KernelOp> {
  const { kernel, plan } = await compileOp(ctx.device, KernelRegistry.forDevice(ctx.device), config);
  const allocator = createAllocator(config.create, ctx.device);
  return new KernelOp(ctx.device, kernel, plan, makeHostInputs(plan), allocator, config.readback);
}
