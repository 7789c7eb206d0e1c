import { workerData } from 'node:worker_threads';
import type { RawWorkerData, WorkerStamps } from './protocol.js';
import { openWorkerOp, type WorkerOp } from './worker-op.js';

/** piscina's trivial task: nothing, and the two stamps back. */
export default function trivial(): WorkerStamps {
  const receivedAt = process.hrtime.bigint();
  return { receivedAt, sentAt: process.hrtime.bigint() };
}

let op: WorkerOp | undefined;

/** wgprof's op on this thread's own device, opened by the first call (a warm-up). */
export async function withOp(): Promise<WorkerStamps> {
  const receivedAt = process.hrtime.bigint();
  const { config } = workerData as RawWorkerData;
  if (!config) throw new Error('withOp needs the pool to carry a config');
  op ??= await openWorkerOp(config);
  await op.run();
  return { receivedAt, sentAt: process.hrtime.bigint() };
}

/** Closes the device before piscina ends the thread (it does so with terminate()). */
export async function closeOp(): Promise<null> {
  await op?.close();
  op = undefined;
  // Let dawn.node settle the device's `lost` promise before the thread may be terminated.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return null;
}
