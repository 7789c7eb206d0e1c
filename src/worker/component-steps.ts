import { deviceOptions } from '../config/device-options.js';
import type { ModuleConfig, PlannedConfig } from '../config/profile-config.js';
import { installWebGpuGlobals } from '../instrument/install-globals.js';
import { importOpModule } from '../op/op-module.js';
import { openDevice } from '../device/open-device.js';
import { makeHostInputs } from '../kernels/host-inputs.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { compileOp } from '../op/compile-op.js';
import { createAllocator } from '../tensors/allocator.js';
import type { Tensor } from '../tensors/tensor.js';
import { createTensors, planAllocations } from '../op/op-tensors.js';
import { PassRecipe } from '../op/pass-recipe.js';
import type { ComponentStep } from './component-worker.js';

/**
 * The device-side steps of a component, in a fresh worker: open the device, then (as asked)
 * compile the kernel, create the op's tensors, dispatch it without waiting, or do an empty
 * submit and wait. Everything opened is closed before returning.
 */
export async function runSteps(
  steps: readonly ComponentStep[],
  config: PlannedConfig,
): Promise<ComponentStep[]> {
  const done: ComponentStep[] = [];
  const gpu = await openDevice(deviceOptions(config));
  done.push('device');
  const allocator = createAllocator(config.create, gpu.device);
  const tensors: Tensor[] = [];
  try {
    const { plan } = config;
    const kernel = steps.includes('compile')
      ? (await compileOp(gpu.device, KernelRegistry.forDevice(gpu.device), config)).kernel
      : undefined;
    if (kernel) done.push('compile');
    if (steps.includes('create')) {
      createTensors(allocator, planAllocations(plan, makeHostInputs(plan)), tensors);
      done.push('create');
    }
    if (steps.includes('dispatch') && kernel) {
      new PassRecipe(gpu.device, kernel, plan).submit(tensors);
      done.push('dispatch');
    }
    if (steps.includes('sync')) {
      gpu.device.queue.submit([]);
      await gpu.device.queue.onSubmittedWorkDone();
      done.push('sync');
    }
  } finally {
    for (const t of tensors) allocator.release(t);
    allocator.dispose();
    gpu.close();
  }
  return done;
}

/**
 * An op module's steps, in a fresh worker: open the device, then (as asked) import the module
 * with the WebGPU globals in place, and run its setup and teardown.
 */
export async function runModuleSteps(
  steps: readonly ComponentStep[],
  config: ModuleConfig,
): Promise<ComponentStep[]> {
  const done: ComponentStep[] = [];
  const gpu = await openDevice(deviceOptions(config));
  done.push('device');
  try {
    if (!steps.includes('import')) return done;
    installWebGpuGlobals(gpu.gpu);
    const module = await importOpModule(config.op.file);
    done.push('import');
    if (steps.includes('setup')) {
      const state = await module.setup?.({
        device: gpu.device,
        adapter: gpu.adapter,
        gpu: gpu.gpu,
        args: config.op.args,
      });
      await module.teardown?.(state);
      done.push('setup');
    }
  } finally {
    gpu.close();
  }
  return done;
}
