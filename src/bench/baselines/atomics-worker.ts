import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PING, pingViews, type AtomicsWorkerData } from './protocol.js';
import { openWorkerOp } from './worker-op.js';

/**
 * A raw Atomics.wait/notify ping-pong: the worker sleeps until the main thread stores `request`,
 * (runs the op, if asked,) writes its two stamps, stores `idle`, wakes the main thread,
 * and goes back to sleep.
 */
if (isMainThread || !parentPort) throw new Error('atomics-worker runs only inside a worker thread');
const { shared, config } = workerData as AtomicsWorkerData;
const { state, stamps } = pingViews(shared);
const op = config === undefined ? undefined : await openWorkerOp(config);
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(state, 0, PING.idle);
  const now = Atomics.load(state, 0);
  if (now === PING.stop) break;
  if (now !== PING.request) continue;
  const receivedAt = process.hrtime.bigint();
  if (op) await op.run();
  stamps[0] = receivedAt;
  stamps[1] = process.hrtime.bigint();
  Atomics.store(state, 0, PING.idle);
  Atomics.notify(state, 0);
}
await op?.close();
parentPort.close();
