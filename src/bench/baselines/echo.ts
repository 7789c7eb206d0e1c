import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  handoffNs,
  type EchoRequest,
  type RawRoundTrip,
  type RawWorkerData,
  type WorkerStamps,
} from './protocol.js';

// Workers run the compiled JavaScript: three levels up is the repository from src/ and dist/ alike.
const ECHO_WORKER = fileURLToPath(new URL('../../../dist/bench/baselines/echo-worker.js', import.meta.url));

/** The raw baseline of wgprof's `message` handoff: one postMessage there and one back. */
export async function startEcho(data: RawWorkerData): Promise<RawRoundTrip> {
  const worker = new Worker(ECHO_WORKER, { workerData: data });
  await once(worker, 'message');
  let answer: ((stamps: WorkerStamps) => void) | undefined;
  worker.on('message', (stamps: WorkerStamps) => answer?.(stamps));
  const send = (request: EchoRequest): void => {
    worker.postMessage(request);
  };
  return {
    async runBlock(ops) {
      const samples: number[] = [];
      for (let i = 0; i < ops; i++) {
        const requestedAt = process.hrtime.bigint();
        const stamps = await new Promise<WorkerStamps>((resolve) => {
          answer = resolve;
          send('op');
        });
        samples.push(handoffNs(requestedAt, process.hrtime.bigint(), stamps));
      }
      return samples;
    },
    async close() {
      // The worker closes its device and ends by itself: terminating it inside a dawn.node call
      // would abort the whole process.
      const exited = once(worker, 'exit');
      send('close');
      await exited;
    },
  };
}
