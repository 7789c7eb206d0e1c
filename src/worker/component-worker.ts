/**
 * The worker behind the breakdown's worker rows: it does the first steps of a fresh-worker op,
 * as many as its component names, then closes what it opened and exits; the main thread times
 * it from the Worker constructor to the exit. It reports the steps it did, so a test can check
 * that each row measured the thing it names.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { RunConfig } from '../config/profile-config.js';

/** One step of a fresh-worker op, in the order a fresh worker does them. */
export type ComponentStep =
  | 'load'
  | 'device'
  | 'compile'
  | 'create'
  | 'dispatch'
  | 'sync'
  | 'op'
  /** An op module's: importing it (after the WebGPU globals are in place), then its setup and teardown. */
  | 'import'
  | 'setup';

export interface ComponentWorkerData {
  readonly steps: readonly ComponentStep[];
  readonly config: RunConfig;
}

async function main(): Promise<void> {
  if (isMainThread || !parentPort) throw new Error('component-worker runs only inside a worker thread');
  const { steps, config } = workerData as ComponentWorkerData;
  const done: ComponentStep[] = [];
  if (steps.includes('load')) {
    await import('webgpu');
    done.push('load');
  }
  if (steps.includes('op')) {
    // The whole op, exactly as a fresh worker runs it.
    const { WorkerSession } = await import('./worker-session.js');
    const session = await WorkerSession.open(config, process.hrtime.bigint());
    const record = await session.runOp(0);
    await session.close();
    if (record.status !== 'ok') throw new Error(record.message ?? `op ${record.status}`);
    done.push('device', 'compile', 'op');
    parentPort.postMessage(done);
    return;
  }
  if (!steps.includes('device')) {
    parentPort.postMessage(done);
    return;
  }
  const { runSteps, runModuleSteps } = await import('./component-steps.js');
  done.push(...(await (config.op ? runModuleSteps(steps, config) : runSteps(steps, config))));
  parentPort.postMessage(done);
}

await main();
