import type { PlannedConfig } from '../config/profile-config.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import type { CompiledKernel, KernelRegistry } from '../kernels/kernel-registry.js';
import { kernelSource } from '../kernels/kernel-source.js';

/**
 * The run's kernel compiled on this device from the config's plan: what every thread does before
 * its first op. Apart from preflight.ts because workers load it: planning parses WGSL (with
 * wgsl_reflect, about 20 ms to load), which only the measuring process does, once.
 */
export async function compileOp(
  device: GPUDevice,
  registry: KernelRegistry,
  config: PlannedConfig,
): Promise<{ kernel: CompiledKernel; plan: KernelPlan }> {
  const { plan } = config;
  return { kernel: await registry.get(kernelSource(config), config.dtype, plan), plan };
}
