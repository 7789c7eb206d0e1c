/**
 * The entry of the fresh, reused and persistent workers. It loads dawn.node and opens its own
 * device (GPU objects cannot cross threads), then serves the main thread by role. It never
 * leaves GPU work pending: it closes its device and lets its event loop drain, so the thread
 * ends by itself; being terminated inside a dawn.node call would abort the whole process.
 */

// The time this worker began running, before anything heavy loads: the end of `spawn`.
const startedAt = process.hrtime.bigint();

import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { messageOf } from '../errors.js';
import { writeRow } from '../measurement/record-store.js';
import { faultShareAtStart } from '../op/fault-flag.js';
import {
  CONTROL,
  controlViews,
  HANDOFF_TIME,
  STATE,
  threadCpuNs,
  type OpWorkerData,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol.js';
import { describeUncaughtExceptions } from './uncaught-message.js';
import type { WorkerSession } from './worker-session.js';

function post(port: MessagePort, message: WorkerResponse): void {
  port.postMessage(message);
}

async function closed(port: MessagePort, session: WorkerSession): Promise<void> {
  const closeNs = await session.close();
  const cpu = threadCpuNs();
  post(port, { type: 'closed', closeNs, ...(cpu === undefined ? {} : { threadCpuNs: cpu }) });
}

async function serveFresh(port: MessagePort, session: WorkerSession, timed?: boolean): Promise<void> {
  const receivedAt = process.hrtime.bigint();
  const answer = await session.runOnlyOp(timed);
  post(port, { type: 'op', id: 0, receivedAt, sentAt: process.hrtime.bigint(), ...answer });
  await closed(port, session);
}

async function handle(port: MessagePort, session: WorkerSession, request: WorkerRequest): Promise<boolean> {
  switch (request.type) {
    case 'op': {
      const receivedAt = process.hrtime.bigint();
      const record = await session.runOp(request.id, request.warmUp === true);
      post(port, { type: 'op', id: request.id, receivedAt, sentAt: process.hrtime.bigint(), record });
      return true;
    }
    case 'loop': {
      const outcome = await session.loop(request, request.records, request.phases);
      post(port, { type: 'loop-done', ...outcome });
      return true;
    }
    case 'flush': {
      post(port, { type: 'gpu-times', ...(await session.gpuTimes()) });
      return true;
    }
    case 'close': {
      await closed(port, session);
      return false;
    }
  }
}

/** Requests by message: one at a time, in order. */
function serveMessages(port: MessagePort, session: WorkerSession): void {
  let queue = Promise.resolve(true);
  const onMessage = (request: WorkerRequest): void => {
    queue = queue.then((open) => (open ? handle(port, session, request) : false));
    void queue.then((open) => {
      // Without a listener the port no longer holds the event loop open: the thread ends by itself.
      if (!open) port.off('message', onMessage);
    });
  };
  port.on('message', onMessage);
}

/**
 * Ops by shared memory: the worker sleeps in Atomics.wait until the main thread stores a
 * request, runs the op (its event loop turns while the op awaits the GPU), writes its record
 * into the block, and wakes the main thread. For anything else (GPU times, close) the main
 * thread posts a message and stores `message`, and the worker reads that one message.
 */
async function serveAtomics(port: MessagePort, session: WorkerSession, data: OpWorkerData): Promise<void> {
  if (!data.shared || !data.errorPort)
    throw new Error('atomics handoff needs a shared block and an error port');
  const { ints, times, row } = controlViews(data.shared);
  const errorPort = data.errorPort;
  for (;;) {
    let state = Atomics.load(ints, CONTROL.state);
    while (state === STATE.idle || state === STATE.done || state === STATE.failed) {
      Atomics.wait(ints, CONTROL.state, state);
      state = Atomics.load(ints, CONTROL.state);
    }
    if (state === STATE.message) {
      Atomics.store(ints, CONTROL.state, STATE.idle);
      const request = await new Promise<WorkerRequest>((resolve) => port.once('message', resolve));
      if (!(await handle(port, session, request))) break;
      continue;
    }
    times[HANDOFF_TIME.receivedAt] = process.hrtime.bigint();
    const record = await session.runOp(
      Atomics.load(ints, CONTROL.id),
      Atomics.load(ints, CONTROL.warmUp) === 1,
    );
    writeRow(row, record);
    if (record.message !== undefined) errorPort.postMessage(record.message);
    times[HANDOFF_TIME.sentAt] = process.hrtime.bigint();
    Atomics.store(ints, CONTROL.state, record.status === 'ok' ? STATE.done : STATE.failed);
    Atomics.notify(ints, CONTROL.state);
  }
  errorPort.close();
}

async function main(): Promise<void> {
  if (isMainThread || !parentPort) throw new Error('op-worker runs only inside a worker thread');
  const port = parentPort;
  describeUncaughtExceptions();
  const data = workerData as OpWorkerData;
  const fault = faultShareAtStart(data.faultFlag);
  const loadStart = process.hrtime.bigint();
  let session: WorkerSession;
  try {
    const { WorkerSession } = await import('./worker-session.js');
    const loadNs = Number(process.hrtime.bigint() - loadStart);
    session = await WorkerSession.open(data.config, data.origin, fault);
    post(port, { type: 'ready', startedAt, readyAt: process.hrtime.bigint(), loadNs });
  } catch (error) {
    post(port, { type: 'fatal', message: messageOf(error) });
    return;
  }
  if (data.role === 'fresh') await serveFresh(port, session, data.timed);
  else if (data.role === 'reused' && data.handoff === 'atomics') await serveAtomics(port, session, data);
  else serveMessages(port, session);
}

await main();
