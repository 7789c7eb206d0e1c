import type { ModuleConfig, PlannedConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { makeHostInputs } from '../kernels/host-inputs.js';
import type { KernelRegistry } from '../kernels/kernel-registry.js';
import { newReadings, READING, timeOp } from '../measurement/time-op.js';
import { faultArmed, injectFault } from '../op/fault-injection.js';
import { openOp } from '../op/op-kinds.js';
import { createTensors, planAllocations } from '../op/op-tensors.js';
import { PassRecipe } from '../op/pass-recipe.js';
import { compileOp } from '../op/compile-op.js';
import { createAllocator, type CreationMode, type TensorAllocator } from '../tensors/allocator.js';
import type { Experiment } from './experiment.js';

/** The main thread with a warm device: the same components, without a thread to start. */
export async function mainComponents(
  gpu: GpuContext,
  registry: KernelRegistry,
  config: PlannedConfig,
  modes: readonly CreationMode[],
): Promise<{ experiments: Experiment[]; dispose: () => Promise<void> }> {
  const { kernel, plan } = await compileOp(gpu.device, registry, config);
  const allocations = planAllocations(plan, makeHostInputs(plan));
  const pass = new PassRecipe(gpu.device, kernel, plan);
  const allocators = modes.map((mode) => createAllocator(mode, gpu.device));
  const fullOp = await openOp(gpu, config);
  const queue = gpu.device.queue;

  const creation = modes.map((mode, k): Experiment => {
    const allocator = allocators[k] as TensorAllocator;
    return {
      id: `main.create.${mode}`,
      label: `tensor creation (${mode})`,
      where: 'main',
      run: async () => {
        const start = process.hrtime.bigint();
        const tensors = createTensors(allocator, allocations);
        const ns = Number(process.hrtime.bigint() - start);
        // Let a writeBuffer upload reach the GPU before its buffer is freed, outside the timing.
        queue.submit([]);
        await queue.onSubmittedWorkDone();
        for (const t of tensors) allocator.release(t);
        return ns;
      },
    };
  });

  const dispatchAllocator = createAllocator('pooled', gpu.device);
  const dispatch: Experiment = {
    id: 'main.dispatch',
    label: 'kernel dispatch without waiting',
    where: 'main',
    run: async () => {
      const tensors = createTensors(dispatchAllocator, allocations);
      const start = process.hrtime.bigint();
      pass.submit(tensors);
      const ns = Number(process.hrtime.bigint() - start);
      await queue.onSubmittedWorkDone();
      for (const t of tensors) dispatchAllocator.release(t);
      return ns;
    },
  };

  const sync: Experiment = {
    id: 'main.sync',
    label: 'sync only (empty submit, onSubmittedWorkDone)',
    where: 'main',
    run: async () => {
      const start = process.hrtime.bigint();
      queue.submit([]);
      await queue.onSubmittedWorkDone();
      return Number(process.hrtime.bigint() - start);
    },
  };

  // The op as the op runner times it, its total taken from the same readings.
  const readings = newReadings();
  const op: Experiment = {
    id: 'main.op',
    label: 'full op',
    where: 'main',
    run: async () => {
      // Faults on demand (WGPROF_INJECT_FAULT) strike here, in the one experiment that is an op.
      if (faultArmed) await injectFault(gpu.device);
      await timeOp(fullOp, readings);
      return readings[READING.total] ?? NaN;
    },
  };

  return {
    experiments: [...creation, dispatch, sync, op],
    dispose: async () => {
      for (const a of allocators) a.dispose();
      dispatchAllocator.dispose();
      await fullOp.dispose();
    },
  };
}

/** An op module's full op on the main thread with a warm device: the contrast to its fresh worker. */
export async function mainModuleOp(
  gpu: GpuContext,
  config: ModuleConfig,
): Promise<{ experiment: Experiment; dispose: () => Promise<void> }> {
  const op = await openOp(gpu, config);
  const readings = newReadings();
  return {
    experiment: {
      id: 'main.op',
      label: 'full op',
      where: 'main',
      run: async () => {
        if (faultArmed) await injectFault(gpu.device);
        await timeOp(op, readings);
        return readings[READING.total] ?? NaN;
      },
    },
    dispose: async () => {
      await op.dispose();
      op.recorder?.dispose();
    },
  };
}
