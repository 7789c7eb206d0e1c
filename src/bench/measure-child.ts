import { openDevice } from '../device/open-device.js';
import type { DeviceInfo } from '../device/device-info.js';
import { messageOf } from '../errors.js';
import { collectEnvironment } from '../results/environment.js';
import { FULL_PLAN, QUICK_PLAN, type BenchPlan } from './bench-plan.js';
import type { BenchRequest, BenchResponse } from './bench-protocol.js';
import type { BenchReport, BenchRow } from './bench-types.js';
import { handoffRows } from './rows/handoff.js';
import { memoryRows } from './rows/memory.js';
import { recordingRows } from './rows/recording.js';
import { throughputRows } from './rows/throughput.js';
import { wallTimeRows } from './rows/wall-time.js';
import { sendToParent } from '../runner/send-to-parent.js';

/**
 * The bench's measuring process. main.ts forks it with an IPC channel and --expose-gc, so that
 * what Dawn prints natively lands on this process's pipes, where the parent filters it, and so
 * that the memory rows measure a process that holds nothing but the bench.
 */
function send(message: BenchResponse): Promise<void> {
  return sendToParent(message);
}

/** The rows, in order; a section that throws becomes one errored row, and the rest go on. */
const SECTIONS: readonly { id: string; measure: string; run: (plan: BenchPlan) => Promise<BenchRow[]> }[] = [
  { id: '1', measure: 'recording cost per op', run: recordingRows },
  { id: '2', measure: 'handoff round trip', run: handoffRows },
  { id: '3', measure: 'throughput against main', run: throughputRows },
  { id: '4', measure: 'memory', run: memoryRows },
  { id: '5', measure: 'wall time of wgprof profile', run: wallTimeRows },
];

async function adapterInfo(): Promise<DeviceInfo | undefined> {
  try {
    const gpu = await openDevice();
    gpu.close();
    return gpu.info;
  } catch {
    return undefined;
  }
}

async function runBench(request: BenchRequest): Promise<BenchReport> {
  const plan = request.quick ? QUICK_PLAN : FULL_PLAN;
  const started = Date.now();
  const createdAt = new Date().toISOString();
  const environment = collectEnvironment();
  const adapter = await adapterInfo();
  const rows: BenchRow[] = [];
  for (const [k, section] of SECTIONS.entries()) {
    await send({
      type: 'progress',
      label: `row ${section.id}: ${section.measure}`,
      done: k,
      total: SECTIONS.length,
    });
    try {
      rows.push(...(await section.run(plan)));
    } catch (error) {
      rows.push({ state: 'errored', id: section.id, measure: section.measure, error: messageOf(error) });
    }
  }
  return {
    schema: 'wgprof-bench',
    version: 1,
    mode: plan.mode,
    createdAt,
    command: request.command,
    elapsedMs: Date.now() - started,
    environment,
    ...(adapter ? { adapter } : {}),
    rows,
  };
}

if (!process.send) {
  process.stderr.write('this file is the measuring process that `npm run bench` starts; run that instead\n');
  process.exitCode = 2;
} else {
  process.once('message', (request: BenchRequest) => {
    void runBench(request)
      .then((report) => send({ type: 'report', report }))
      .catch((error: unknown) => send({ type: 'error', message: messageOf(error) }))
      .finally(() => {
        process.disconnect();
        // A worker that will not end must not keep the answer from its reader.
        setTimeout(() => process.exit(0), 100).unref();
      });
  });
}
