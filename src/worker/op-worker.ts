// The time this worker began running, before anything heavy loads: the end of `spawn`.
const startedAt = process.hrtime.bigint();

import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  CONTROL,
  controlViews,
  STATE,
  threadCpuNs,
  type OpWorkerData,
  type RequestMessage,
  type ResponseMessage,
} from './protocol.js';
import type { WorkerSession } from './worker-session.js';

/**
 * The entry of the fresh, reused and persistent workers. It loads dawn.node and opens its own
 * device (GPU objects cannot cross threads), then serves the main thread by role. It never
 * leaves GPU work pending: it closes its device and lets its event loop drain, so the thread
 * ends by itself; being terminated inside a dawn.node call would abort the whole process.
 */
function post(port: MessagePort, message: ResponseMessage): void {
  port.postMessage(message);
}

async function serveFresh(port: MessagePort, session: WorkerSession): Promise<void> {
  const receivedAt = process.hrtime.bigint();
  const error = await session.runOp(0);
  const { ns } = await session.gpuTimes();
  const closeNs = session.close();
  const sentAt = process.hrtime.bigint();
  post(port, {
    type: 'op',
    id: 0,
    receivedAt,
    sentAt,
    ...(error ? { error } : { timing: { ...session.timing }, gpuNs: ns[0] ?? NaN }),
  });
  const cpu = threadCpuNs();
  post(port, { type: 'closed', closeNs, ...(cpu === undefined ? {} : { threadCpuNs: cpu }) });
}

async function handle(
  port: MessagePort,
  session: WorkerSession,
  request: RequestMessage,
  origin: bigint,
): Promise<boolean> {
  switch (request.type) {
    case 'op': {
      const receivedAt = process.hrtime.bigint();
      const error = await session.runOp(request.id);
      const sentAt = process.hrtime.bigint();
      post(port, {
        type: 'op',
        id: request.id,
        receivedAt,
        sentAt,
        ...(error ? { error } : { timing: { ...session.timing } }),
      });
      return true;
    }
    case 'loop': {
      const { batch, deviceLost } = await session.loop(request.ops, request.warmup, origin);
      const columns = [
        batch.starts,
        batch.totals,
        batch.statuses,
        batch.threads,
        batch.innerStarts,
        ...Object.values(batch.phases),
      ];
      port.postMessage(
        (deviceLost === undefined
          ? { type: 'batch', batch }
          : { type: 'batch', batch, deviceLost }) satisfies ResponseMessage,
        columns.map((c) => c.buffer as ArrayBuffer),
      );
      return true;
    }
    case 'flush': {
      const { ids, ns } = await session.gpuTimes();
      post(port, { type: 'gpu-times', ids, ns });
      return true;
    }
    case 'close': {
      const closeNs = session.close();
      const cpu = threadCpuNs();
      post(port, { type: 'closed', closeNs, ...(cpu === undefined ? {} : { threadCpuNs: cpu }) });
      return false;
    }
  }
}

/** Requests by message: one at a time, in order. */
function serveMessages(port: MessagePort, session: WorkerSession, origin: bigint): void {
  let queue = Promise.resolve(true);
  const onMessage = (request: RequestMessage): void => {
    queue = queue.then((open) => (open ? handle(port, session, request, origin) : false));
    void queue.then((open) => {
      // Without a listener the port no longer holds the event loop open: the thread ends by itself.
      if (!open) port.off('message', onMessage);
    });
  };
  port.on('message', onMessage);
}

/**
 * Ops by shared memory: the worker sleeps in Atomics.wait until the main thread stores a
 * request, runs the op (its event loop turns while the op awaits the GPU), writes the timings
 * into the block, and wakes the main thread. For anything else (GPU times, close) the main
 * thread posts a message and stores `message`, and the worker reads that one message.
 */
async function serveAtomics(port: MessagePort, session: WorkerSession, data: OpWorkerData): Promise<void> {
  if (!data.shared || !data.errorPort)
    throw new Error('atomics handoff needs a shared block and an error port');
  const { ints, bigs, floats } = controlViews(data.shared);
  const errorPort = data.errorPort;
  for (;;) {
    let state = Atomics.load(ints, CONTROL.state);
    while (state === STATE.idle || state === STATE.done || state === STATE.failed) {
      Atomics.wait(ints, CONTROL.state, state);
      state = Atomics.load(ints, CONTROL.state);
    }
    if (state === STATE.message) {
      Atomics.store(ints, CONTROL.state, STATE.idle);
      const request = await new Promise<RequestMessage>((resolve) => port.once('message', resolve));
      if (!(await handle(port, session, request, data.origin))) break;
      continue;
    }
    const receivedAt = process.hrtime.bigint();
    const error = await session.runOp(Atomics.load(ints, CONTROL.id));
    const t = session.timing;
    floats.set([t.creation, t.kernelCpu, t.sync, t.readback, t.total]);
    bigs[0] = receivedAt;
    bigs[1] = t.start;
    if (error) errorPort.postMessage(error);
    bigs[2] = process.hrtime.bigint();
    Atomics.store(ints, CONTROL.state, error ? STATE.failed : STATE.done);
    Atomics.notify(ints, CONTROL.state);
  }
  errorPort.close();
}

async function main(): Promise<void> {
  if (isMainThread || !parentPort) throw new Error('op-worker runs only inside a worker thread');
  const port = parentPort;
  const data = workerData as OpWorkerData;
  const loadStart = process.hrtime.bigint();
  let session: WorkerSession;
  try {
    const { WorkerSession } = await import('./worker-session.js');
    const loadNs = Number(process.hrtime.bigint() - loadStart);
    session = await WorkerSession.open(data.config);
    post(port, { type: 'ready', startedAt, readyAt: process.hrtime.bigint(), loadNs });
  } catch (error) {
    post(port, { type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (data.role === 'fresh') await serveFresh(port, session);
  else if (data.role === 'reused' && data.handoff === 'atomics') await serveAtomics(port, session, data);
  else serveMessages(port, session, data.origin);
}

await main();
