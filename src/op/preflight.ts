import type { ModuleConfig, PlannedConfig, ProfileConfig, RunConfig } from '../config/profile-config.js';
import { preflightOpModule } from './module-op.js';
import type { OpWork } from '../work/op-work.js';
import { resolveWork } from './resolve-work.js';
import type { GpuContext } from '../device/open-device.js';
import { BufferUsage } from '../device/webgpu-globals.js';
import { gpuError, usageError } from '../errors.js';
import { planKernel, type KernelPlan, type PlanSetup } from '../kernels/kernel-plan.js';
import type { KernelReflection } from '../kernels/wgsl-reflection.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { kernelCode, kernelSource, planSetup } from '../kernels/kernel-source.js';
import { readKernel } from '../kernels/read-kernel.js';
import { paddedByteLength } from '../tensors/dtype.js';
import { elementCount } from '../tensors/tensor.js';

/** A tensor's size on the GPU. */
export function tensorBytes(tensor: KernelPlan['tensors'][number]): number {
  return paddedByteLength(tensor.dtype, elementCount(tensor.shape));
}

/**
 * The buffers whose size the kernel file sets rather than --size: uniform blocks and fixed-size
 * arrays (unless a built-in's preset shapes them from --size), by name, with their declared type.
 */
export function sizedByFile(reflection: KernelReflection, setup: PlanSetup): Map<string, string> {
  const fixed = new Map<string, string>();
  for (const b of reflection.bindings) {
    if (setup.shapes?.[b.name] !== undefined) continue;
    if (b.kind === 'uniform' || b.fixedCount !== undefined) fixed.set(b.name, b.type);
  }
  return fixed;
}

/**
 * Throws a usage error naming the device limit that a tensor or a dispatch of the plan exceeds,
 * and what sets that tensor's size: --size, or the kernel file itself (`fixed`, from sizedByFile).
 */
export function checkPlanFitsDevice(
  plan: KernelPlan,
  config: Pick<ProfileConfig, 'size'>,
  limits: GPUSupportedLimits,
  fixed: ReadonlyMap<string, string> = new Map(),
  file = 'the kernel file',
): void {
  for (const tensor of plan.tensors) {
    const bytes = tensorBytes(tensor);
    const bindingLimit =
      tensor.role === 'uniform' ? 'maxUniformBufferBindingSize' : 'maxStorageBufferBindingSize';
    for (const limit of ['maxBufferSize', bindingLimit] as const) {
      if (bytes <= limits[limit]) continue;
      const past = `past this adapter's ${limit} of ${limits[limit]} bytes`;
      const type = fixed.get(tensor.name);
      throw usageError(
        type === undefined
          ? `--size ${config.size} needs a ${bytes}-byte '${tensor.name}' buffer, ${past}`
          : `'${tensor.name}' (binding ${tensor.binding}, ${type}) is ${bytes} bytes, a size ${file} fixes ` +
              `(--size does not change it), ${past}: declare it smaller`,
      );
    }
  }
  const most = limits.maxComputeWorkgroupsPerDimension;
  for (const d of plan.dispatches) {
    if (d.workgroups.some((n) => n > most || n < 1)) {
      throw usageError(
        `dispatch of ${d.workgroups.join(' x ')} workgroups for '${d.entry}': each dimension must be 1 to this adapter's maxComputeWorkgroupsPerDimension of ${most}`,
      );
    }
  }
}

/**
 * Reads, plans and checks the run's op once, in the measuring process, before any strategy starts:
 * Dawn compiles the WGSL (errors with line and column), wgsl_reflect reads its bindings, the plan
 * is laid out at --size and checked against the device's limits and memory. Every thread then
 * runs this plan (it travels in the config), so workers never parse WGSL themselves.
 */
export async function preflightOp(ctx: GpuContext, config: ProfileConfig): Promise<KernelPlan> {
  const source = kernelSource(config);
  const registry = KernelRegistry.forDevice(ctx.device);
  await registry.module(source, config.dtype);
  const reflection = readKernel(source, kernelCode(source, config.dtype));
  const { limits } = ctx.device;
  const setup = planSetup(source, config, limits);
  const plan = planKernel(reflection, setup, config.size, limits, source.shownPath);
  const fixed = sizedByFile(reflection, setup);
  checkPlanFitsDevice(plan, config, limits, fixed, source.shownPath);
  await registry.get(source, config.dtype, plan);
  await checkPlanAllocates(ctx.device, plan, fixed, source.shownPath);
  return plan;
}

/** The config with its kernel planned on this device: what every strategy and experiment takes. */
export async function withPlan(ctx: GpuContext, config: ProfileConfig): Promise<PlannedConfig> {
  if (config.op) throw new Error(`withPlan: '${config.kernel}' is an op module, not a kernel`);
  const kernel: ProfileConfig = { ...config };
  return { ...kernel, op: undefined, plan: await preflightOp(ctx, config) } as PlannedConfig;
}

/**
 * The run's op made ready on this device before anything is measured: a kernel planned, or an
 * op module imported, its exports checked and its setup and teardown run once, so that a
 * module that cannot run is one line (exit 2) before any scenario starts.
 */
export async function readyRun(ctx: GpuContext, config: ProfileConfig): Promise<RunConfig> {
  if (!config.op) {
    const planned = await withPlan(ctx, config);
    return withWork(planned, resolveWork(planned));
  }
  const { name, work } = await preflightOpModule(ctx, config.op);
  const ready = { ...config, plan: undefined, op: config.op, kernel: name ?? config.kernel } as ModuleConfig;
  return withWork(ready, resolveWork(ready, work));
}

function withWork<C extends RunConfig>(config: C, work: OpWork | undefined): C {
  return work ? { ...config, work } : config;
}

/** The run's config for a built-in kernel at `size` in f32 (sync's floor runs noop beside any kernel). */
export function builtinConfig(config: ProfileConfig, kernel: string, size: number): ProfileConfig {
  const copy: { -readonly [K in keyof ProfileConfig]: ProfileConfig[K] } = {
    ...config,
    kernel,
    size,
    dtype: 'f32',
  };
  // The user's kernel flags describe the user's kernel, not this one.
  delete copy.kernelFile;
  delete copy.entry;
  delete copy.uniforms;
  delete copy.dispatch;
  delete copy.plan;
  delete copy.op;
  return copy;
}

/**
 * Creates a buffer inside an out-of-memory error scope and reports the driver's refusal as such,
 * in one line, instead of letting it surface later as an uncaptured error in some op.
 */
export async function createBufferChecked(
  device: GPUDevice,
  name: string,
  size: number,
  usage: GPUBufferUsageFlags,
  remedy = 'try a smaller --size',
): Promise<GPUBuffer> {
  device.pushErrorScope('out-of-memory');
  const buffer = device.createBuffer({ label: name, size, usage });
  const error = await device.popErrorScope();
  if (error) {
    buffer.destroy();
    const reason = error.message.split('\n')[0]?.trim() ?? '';
    throw gpuError(`GPU out of memory creating the ${size}-byte '${name}' buffer (${reason}); ${remedy}`);
  }
  return buffer;
}

/**
 * Creates each of the plan's buffers once, so that a size the GPU cannot hold is one clear message
 * before the run instead of a failure in every op. Once per run, not per op: a scope costs an await.
 */
export async function checkPlanAllocates(
  device: GPUDevice,
  plan: KernelPlan,
  fixed: ReadonlyMap<string, string> = new Map(),
  file = 'the kernel file',
): Promise<void> {
  for (const tensor of plan.tensors) {
    const usage =
      (tensor.role === 'uniform' ? BufferUsage.UNIFORM : BufferUsage.STORAGE) | BufferUsage.COPY_DST;
    const remedy = fixed.has(tensor.name)
      ? `its size is fixed by ${file}: declare it smaller`
      : 'try a smaller --size';
    (await createBufferChecked(device, tensor.name, tensorBytes(tensor), usage, remedy)).destroy();
  }
}
