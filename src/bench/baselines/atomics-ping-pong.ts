import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  handoffNs,
  PING,
  PING_BYTES,
  pingViews,
  type AtomicsWorkerData,
  type RawRoundTrip,
  type RawWorkerData,
} from './protocol.js';

// Workers run the compiled JavaScript: three levels up is the repository from src/ and dist/ alike.
const ATOMICS_WORKER = fileURLToPath(
  new URL('../../../dist/bench/baselines/atomics-worker.js', import.meta.url),
);

/** The raw baseline of wgprof's `atomics` handoff: the main thread blocks in Atomics.wait. */
export async function startAtomicsPingPong(data: RawWorkerData): Promise<RawRoundTrip> {
  const shared = new SharedArrayBuffer(PING_BYTES);
  const { state, stamps } = pingViews(shared);
  const worker = new Worker(ATOMICS_WORKER, { workerData: { ...data, shared } satisfies AtomicsWorkerData });
  await once(worker, 'message');
  return {
    runBlock(ops) {
      const samples: number[] = [];
      for (let i = 0; i < ops; i++) {
        const requestedAt = process.hrtime.bigint();
        Atomics.store(state, 0, PING.request);
        Atomics.notify(state, 0);
        Atomics.wait(state, 0, PING.request);
        const answeredAt = process.hrtime.bigint();
        samples.push(
          handoffNs(requestedAt, answeredAt, { receivedAt: stamps[0] ?? 0n, sentAt: stamps[1] ?? 0n }),
        );
      }
      return Promise.resolve(samples);
    },
    async close() {
      const exited = once(worker, 'exit');
      Atomics.store(state, 0, PING.stop);
      Atomics.notify(state, 0);
      await exited;
    },
  };
}
