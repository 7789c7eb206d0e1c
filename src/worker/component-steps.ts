import { deviceOptions } from '../config/device-options.js';
import type { PlannedConfig } from '../config/profile-config.js';
import { openDevice } from '../device/open-device.js';
import { makeHostInputs } from '../kernels/host-inputs.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { compileOp } from '../op/compile-op.js';
import { createAllocator } from '../tensors/allocator.js';
import type { Tensor } from '../tensors/tensor.js';
import { createTensors, encodeAndSubmit, planAllocations } from '../op/op-tensors.js';
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
      encodeAndSubmit(gpu.device, kernel, plan, tensors);
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
