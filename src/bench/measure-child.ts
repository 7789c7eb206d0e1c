import { openDevice } from '../device/open-device.js';
import type { DeviceInfo } from '../device/device-info.js';
import { messageOf } from '../errors.js';
import { collectEnvironment } from '../results/environment.js';
import { FULL_PLAN, QUICK_PLAN, type BenchPlan } from './bench-plan.js';
import type { BenchRequest, BenchResponse } from './bench-protocol.js';
import type { BenchReport, BenchRow } from './bench-types.js';
import { apiMemoryRows } from './rows/api-memory.js';
import { handoffRows } from './rows/handoff.js';
import { instrumentationRows } from './rows/instrumentation.js';
import { isolationRows } from './rows/isolation.js';
import { memoryRows } from './rows/memory.js';
import { peakRows } from './rows/peak.js';
import { historyRows } from './rows/history.js';
import { recordingRows } from './rows/recording.js';
import { coverageRows } from './rows/coverage.js';
import { throughputRows } from './rows/throughput.js';
import { timingCostRows } from './rows/timing-cost.js';
import { traceRows } from './rows/trace.js';
import { traceCallsRows } from './rows/trace-calls.js';
import { verdictsRows } from './rows/verdicts.js';
import { wallTimeRows } from './rows/wall-time.js';
import { yardstickRows } from './rows/yardstick.js';
import { sendToParent } from '../runner/send-to-parent.js';

/**
 * The bench's measuring process. main.ts forks it with an IPC channel and --expose-gc, so that
 * what Dawn prints natively lands on this process's pipes, where the parent filters it, and so
 * that the memory rows measure a process that holds nothing but the bench.
 */
function send(message: BenchResponse): Promise<void> {
  return sendToParent(message);
}

interface Section {
  readonly id: string;
  /** For `bench --only`, as well as the id. */
  readonly name: string;
  readonly measure: string;
  readonly run: (plan: BenchPlan) => Promise<BenchRow[]>;
}

/** The rows, in order; a section that throws becomes one errored row, and the rest go on. */
const SECTIONS: readonly Section[] = [
  { id: '1', name: 'recording', measure: 'recording cost per op', run: recordingRows },
  { id: '2', name: 'handoff', measure: 'handoff round trip', run: handoffRows },
  { id: '3', name: 'throughput', measure: 'throughput against main', run: throughputRows },
  { id: '4', name: 'memory', measure: 'memory', run: memoryRows },
  { id: '5', name: 'wall-time', measure: 'wall time of wgprof profile', run: wallTimeRows },
  { id: '6', name: 'coverage', measure: "coverage of vs main's CI across repeats", run: coverageRows },
  { id: '7', name: 'yardstick', measure: 'yardstick: bare dawn.node against wgprof', run: yardstickRows },
  {
    id: '8',
    name: 'instrumentation',
    measure: "the WebGPU instrumentation's CPU cost per op and per pass",
    run: instrumentationRows,
  },
  {
    id: '9',
    name: 'api-memory',
    measure: "the API's profile called repeatedly in one process",
    run: apiMemoryRows,
  },
  { id: '10', name: 'trace', measure: "wgprof trace's cost to a TF.js program", run: traceRows },
  {
    id: '10c',
    name: 'trace-calls',
    measure: "wgprof trace's cost per WebGPU call, in one process",
    run: traceCallsRows,
  },
  {
    id: '11',
    name: 'isolation',
    measure: 'main in the full default set against main alone, alternating runs',
    run: isolationRows,
  },
  {
    id: '12',
    name: 'timing-cost',
    measure: 'the cost of timing per op and per pass, from wgprof profile --json',
    run: timingCostRows,
  },
  {
    id: '13',
    name: 'verdicts',
    measure: "the default profile's wall time, and its verdicts against a 120 s run's",
    run: verdictsRows,
  },
  {
    id: '14',
    name: 'peak',
    measure: "wgprof peak's copy bandwidth against CPU copies, and the built-in kernels' shares of the peak",
    run: peakRows,
  },
  {
    id: '15',
    name: 'history',
    measure: 'wgprof history over 1,000 profile results, the terminal view and the HTML chart',
    run: historyRows,
  },
];

/** The sections `--only` names (all when it names none); an unknown name is an error. */
function selectSections(only: readonly string[] | undefined): readonly Section[] {
  if (!only || only.length === 0) return SECTIONS;
  const known = (key: string): boolean => SECTIONS.some((s) => s.id === key || s.name === key);
  const unknown = only.filter((key) => !known(key));
  if (unknown.length > 0) {
    const names = SECTIONS.map((s) => `${s.id} (${s.name})`).join(', ');
    throw new Error(`--only: no row ${unknown.join(', ')}; the rows are ${names}`);
  }
  return SECTIONS.filter((s) => only.includes(s.id) || only.includes(s.name));
}

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
  const base = request.quick ? QUICK_PLAN : FULL_PLAN;
  const rawDir = request.rawDir;
  const plan = rawDir === undefined ? base : { ...base, coverage: { ...base.coverage, rawDir } };
  const sections = selectSections(request.only);
  const started = Date.now();
  const createdAt = new Date().toISOString();
  const environment = collectEnvironment();
  const adapter = await adapterInfo();
  const rows: BenchRow[] = [];
  for (const [k, section] of sections.entries()) {
    await send({
      type: 'progress',
      label: `row ${section.id}: ${section.measure}`,
      done: k,
      total: sections.length,
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
