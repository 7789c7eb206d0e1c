import type { ProfileConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { usageError } from '../errors.js';
import { builtinKernel } from '../kernels/builtin/index.js';
import { makeHostInputs } from '../kernels/host-inputs.js';
import type { KernelRegistry } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-spec.js';
import { createAllocator, type TensorAllocator } from '../tensors/allocator.js';
import { paddedByteLength } from '../tensors/dtype.js';
import { elementCount } from '../tensors/tensor.js';
import { PreparedOp } from './prepared-op.js';

/** A PreparedOp and what it holds on to; `dispose` frees the allocator's buffers. */
export interface OpSetup {
  readonly op: PreparedOp;
  readonly plan: KernelPlan;
  readonly allocator: TensorAllocator;
  dispose(): void;
}

/** Throws a usage error naming the device limit that a tensor of the plan exceeds. */
export function checkPlanFitsDevice(
  plan: KernelPlan,
  config: ProfileConfig,
  limits: GPUSupportedLimits,
): void {
  for (const tensor of plan.tensors) {
    const bytes = paddedByteLength(
      tensor.role === 'params' ? 'u32' : config.dtype,
      elementCount(tensor.shape),
    );
    for (const limit of ['maxBufferSize', 'maxStorageBufferBindingSize'] as const) {
      if (bytes > limits[limit]) {
        throw usageError(
          `--size ${config.size} needs a ${bytes}-byte '${tensor.name}' buffer, past this adapter's ${limit} of ${limits[limit]} bytes`,
        );
      }
    }
  }
}

/** Everything an op needs that is not the op: compiled kernel, plan, input data, allocator. */
export async function setUpOp(
  ctx: GpuContext,
  registry: KernelRegistry,
  config: ProfileConfig,
): Promise<OpSetup> {
  const spec = builtinKernel(config.kernel);
  const plan = spec.plan(config.size, ctx.device.limits);
  checkPlanFitsDevice(plan, config, ctx.device.limits);
  const kernel = await registry.get(spec, config.dtype);
  const allocator = createAllocator(config.create, ctx.device);
  const op = new PreparedOp(
    ctx.device,
    kernel,
    plan,
    makeHostInputs(plan, config.dtype),
    allocator,
    config.readback,
  );
  return { op, plan, allocator, dispose: () => allocator.dispose() };
}
