import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EchoRequest, RawWorkerData, WorkerStamps } from './protocol.js';
import { openWorkerOp } from './worker-op.js';

/** A raw postMessage echo: one message in, one out (with the op between, if asked). */
if (isMainThread || !parentPort) throw new Error('echo-worker runs only inside a worker thread');
const port = parentPort;
const { config } = workerData as RawWorkerData;
const op = config === undefined ? undefined : await openWorkerOp(config);
port.on('message', (request: EchoRequest) => {
  if (request === 'close') {
    void (op ? op.close() : Promise.resolve()).then(() => {
      port.close();
    });
    return;
  }
  const receivedAt = process.hrtime.bigint();
  const answer = (): void => {
    port.postMessage({ receivedAt, sentAt: process.hrtime.bigint() } satisfies WorkerStamps);
  };
  if (op) void op.run().then(answer);
  else answer();
});
port.postMessage('ready');
