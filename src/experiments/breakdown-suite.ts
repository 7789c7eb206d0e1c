import type { ModuleConfig, RunConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { CREATION_MODES } from '../tensors/allocator.js';
import type { Experiment } from './experiment.js';
import { mainComponents, mainModuleOp } from './main-components.js';
import { workerComponent, type WorkerExperiment } from './worker-component.js';

/**
 * The breakdown's experiments, as in the seed's component table: a fresh worker doing more and
 * more of an op (empty; + loading dawn.node; + opening the device; + tensor creation per mode;
 * + kernel dispatch without waiting; + sync only; the full op), then the same components on the
 * main thread with a warm device, for contrast.
 */
export async function breakdownExperiments(
  gpu: GpuContext,
  config: RunConfig,
): Promise<{ experiments: Experiment[]; workers: WorkerExperiment[]; dispose: () => Promise<void> }> {
  if (config.op) return moduleExperiments(gpu, config);
  const forMode = (mode: (typeof CREATION_MODES)[number]): RunConfig => ({ ...config, create: mode });
  const workers: WorkerExperiment[] = [
    workerComponent('worker.empty', 'worker create and join (empty worker)', [], config),
    workerComponent('worker.load', 'worker + loading dawn.node', ['load'], config),
    workerComponent('worker.device', 'worker + opening the adapter and device', ['load', 'device'], config),
    ...CREATION_MODES.map((mode) =>
      workerComponent(
        `worker.create.${mode}`,
        `worker + input data and tensor creation (${mode})`,
        ['load', 'device', 'create'],
        forMode(mode),
      ),
    ),
    workerComponent(
      'worker.dispatch',
      'worker + kernel dispatch without waiting',
      ['load', 'device', 'compile', 'create', 'dispatch'],
      config,
    ),
    workerComponent('worker.sync', 'worker + sync only (empty submit)', ['load', 'device', 'sync'], config),
    workerComponent('worker.op', 'full op in a fresh worker', ['load', 'op'], config),
  ];
  const main = await mainComponents(gpu, KernelRegistry.forDevice(gpu.device), config, CREATION_MODES);
  return { experiments: [...workers, ...main.experiments], workers, dispose: main.dispose };
}

/**
 * An op module's breakdown: the rows that matter for a library, between the device and the
 * first op, "+ importing the op module" (loading TF.js in a fresh worker is most of its cost)
 * and "+ its setup"; then the full op, and the same op on the main thread with a warm device.
 */
async function moduleExperiments(
  gpu: GpuContext,
  config: ModuleConfig,
): Promise<{ experiments: Experiment[]; workers: WorkerExperiment[]; dispose: () => Promise<void> }> {
  const workers: WorkerExperiment[] = [
    workerComponent('worker.empty', 'worker create and join (empty worker)', [], config),
    workerComponent('worker.load', 'worker + loading dawn.node', ['load'], config),
    workerComponent('worker.device', 'worker + opening the adapter and device', ['load', 'device'], config),
    workerComponent(
      'worker.import',
      'worker + importing the op module',
      ['load', 'device', 'import'],
      config,
    ),
    workerComponent(
      'worker.setup',
      'worker + its setup (and teardown)',
      ['load', 'device', 'import', 'setup'],
      config,
    ),
    workerComponent('worker.op', 'full op in a fresh worker', ['load', 'op'], config),
  ];
  const main = await mainModuleOp(gpu, config);
  return { experiments: [...workers, main.experiment], workers, dispose: main.dispose };
}
