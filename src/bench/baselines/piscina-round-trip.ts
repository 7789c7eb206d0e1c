import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { handoffNs, type RawRoundTrip, type RawWorkerData, type WorkerStamps } from './protocol.js';

const PISCINA_TASK = fileURLToPath(new URL('../../../dist/bench/baselines/piscina-task.js', import.meta.url));

/**
 * piscina's own round trip on a pool of one thread: pool.run() and its answer, for a trivial task
 * or (with `config`) for wgprof's op.
 */
export async function startPiscina(data: RawWorkerData): Promise<RawRoundTrip> {
  const pool = new Piscina<undefined, WorkerStamps | null>({
    filename: PISCINA_TASK,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: data,
  });
  const withOp = data.config !== undefined;
  const task = (): Promise<WorkerStamps | null> =>
    withOp ? pool.run(undefined, { name: 'withOp' }) : pool.run(undefined);
  await task();
  return {
    async runBlock(ops) {
      const samples: number[] = [];
      for (let i = 0; i < ops; i++) {
        const requestedAt = process.hrtime.bigint();
        const stamps = await task();
        if (stamps) samples.push(handoffNs(requestedAt, process.hrtime.bigint(), stamps));
      }
      return samples;
    },
    async close() {
      if (withOp) await pool.run(undefined, { name: 'closeOp' });
      await pool.destroy();
    },
  };
}
