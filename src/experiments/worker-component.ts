import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunConfig } from '../config/profile-config.js';
import type { ComponentStep, ComponentWorkerData } from '../worker/component-worker.js';
import type { Experiment } from './experiment.js';

const EMPTY_WORKER = fileURLToPath(new URL('../../dist/worker/empty-worker.js', import.meta.url));
const COMPONENT_WORKER = fileURLToPath(
  new URL('../../dist/worker/component-worker.bundle.js', import.meta.url),
);

/** A worker experiment also keeps the steps its worker reported, to show it did what it names. */
export interface WorkerExperiment extends Experiment {
  readonly stepsSeen: ComponentStep[][];
}

/**
 * A fresh worker that does `steps` and exits, timed from the Worker constructor to its exit:
 * the main thread's whole cost of running that much in a new thread. No steps: an empty worker.
 */
export function workerComponent(
  id: string,
  label: string,
  steps: readonly ComponentStep[],
  config: RunConfig,
): WorkerExperiment {
  const stepsSeen: ComponentStep[][] = [];
  return {
    id,
    label,
    where: 'worker',
    stepsSeen,
    run: () =>
      new Promise<number>((resolve, reject) => {
        const start = process.hrtime.bigint();
        const data: ComponentWorkerData = { steps, config };
        const worker =
          steps.length === 0 ? new Worker(EMPTY_WORKER) : new Worker(COMPONENT_WORKER, { workerData: data });
        let failure: Error | undefined;
        worker.on('message', (done: ComponentStep[]) => {
          if (stepsSeen.length < 3) stepsSeen.push(done);
        });
        worker.on('error', (error) => {
          failure = error;
        });
        worker.once('exit', (code) => {
          const ns = Number(process.hrtime.bigint() - start);
          if (failure || code !== 0)
            reject(failure ?? new Error(`component worker exited with code ${code}`));
          else resolve(ns);
        });
      }),
  };
}
