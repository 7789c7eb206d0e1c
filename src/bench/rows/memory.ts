import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { RecordStore } from '../../measurement/record-store.js';
import { corePhases, type Phase } from '../../op/phases.js';
import { fitLine } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow } from '../bench-types.js';
import type { AfterRun, RepeatedProfilesRequest, RepeatedProfilesResponse } from '../repeated-profiles.js';
import { completedRow } from '../verdict.js';

const REPEATED_PROFILES = fileURLToPath(new URL('../repeated-profiles.js', import.meta.url));
const MIB = 1024 * 1024;

async function collect(): Promise<void> {
  if (!globalThis.gc) throw new Error('the bench needs --expose-gc (npm run bench passes it)');
  await sleep(100);
  globalThis.gc();
  globalThis.gc();
}

function liveBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes the JS heap and array buffers grew by, per op appended to a store with these phases. */
async function bytesPerOp(phases: readonly Phase[], ops: number): Promise<number> {
  await collect();
  const before = liveBytes();
  const store = new RecordStore(phases, process.hrtime.bigint());
  for (let i = 0; i < ops; i++) store.appendOp(process.hrtime.bigint(), 7, 1, 2, 3, NaN);
  await collect();
  const grown = liveBytes() - before;
  // Read the store after measuring, so that it is still alive when the heap is.
  if (store.count !== ops) throw new Error('the store lost records');
  return grown / ops;
}

/** The capacity a store that starts at 1024 slots and doubles has after `ops` appends. */
function capacityAfter(ops: number): number {
  let capacity = 1024;
  while (capacity < ops) capacity *= 2;
  return capacity;
}

function bytesRow(
  id: string,
  layout: string,
  phases: readonly Phase[],
  ops: number,
  value: number,
): CompletedRow {
  // What one slot of every column takes, as the store itself counts it.
  const columnBytes = new RecordStore(phases, 0n, 1).byteLength;
  const capacity = capacityAfter(ops);
  return completedRow({
    id,
    measure: `memory: bytes per recorded op, ${layout} (${phases.length} phases)`,
    wgprof: { value, unit: 'B/op' },
    target: { text: '<= 64 B/op', direction: 'at-most', limit: 64, checked: { value, unit: 'B/op' } },
    note:
      `heapUsed + arrayBuffers growth over ${ops.toLocaleString('en-US')} RecordStore.appendTiming calls, after full GCs. ` +
      `The columns take ${columnBytes} B per op (starts and inner starts as float64; totals and ${phases.join(', ')} as float32; status, cold, thread), ` +
      `and the store has ${capacity.toLocaleString('en-US')} slots by then (it doubles from 1,024): ` +
      `${columnBytes} x ${capacity.toLocaleString('en-US')} / ${ops.toLocaleString('en-US')} = ${((columnBytes * capacity) / ops).toFixed(1)} B/op.`,
    details: { phases, ops, columnBytes, capacity },
  });
}

/** Runs the profile path `runs` times in a fresh process (see repeated-profiles.ts). */
function repeatedProfiles(
  request: RepeatedProfilesRequest,
  env: NodeJS.ProcessEnv = {},
): Promise<{ warmUp: AfterRun; after: readonly AfterRun[] }> {
  // An undefined value removes the variable: the child gets the library's default.
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined),
  );
  const child = fork(REPEATED_PROFILES, [], {
    execArgv: ['--expose-gc'],
    env: merged,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answer: RepeatedProfilesResponse | undefined;
    child.on('message', (message: RepeatedProfilesResponse) => {
      answer = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.type === 'done') resolve(answer);
      else if (answer?.type === 'error') reject(new Error(answer.message));
      else reject(new Error(`the repeated-profiles process died (${signal ?? `exit code ${code}`})`));
    });
    child.send(request);
  });
}

/**
 * The slope of RSS over the later half of the runs: the first runs fill allocator caches and the
 * JIT's code space, which levels off; a leak keeps growing at the same rate to the last run.
 */
function rssSlope(after: readonly AfterRun[]): ReturnType<typeof fitLine> {
  const from = Math.floor(after.length / 2) - 1;
  const later = after.slice(Math.max(0, from));
  return fitLine(
    later.map((_, k) => from + k + 1),
    later.map((a) => a.rssBytes / MIB),
  );
}

function rssRow(
  id: string,
  measure: string,
  runs: { warmUp: AfterRun; after: readonly AfterRun[] },
  why: string,
  withTarget = true,
): CompletedRow {
  const fit = rssSlope(runs.after);
  const slope = { value: fit.slope, unit: 'MiB/run', low: fit.slopeCi[0], high: fit.slopeCi[1] } as const;
  const mib = (bytes: number): string => (bytes / MIB).toFixed(0);
  return completedRow({
    id,
    measure,
    wgprof: slope,
    ...(withTarget
      ? { target: { text: '<= 1 MiB/run', direction: 'at-most', limit: 1, checked: slope } }
      : {}),
    note:
      `slope of RSS over the later ${Math.ceil(runs.after.length / 2) + 1} of ${runs.after.length} runs after a warm-up run, full GCs after each; RSS after each run (MiB): ` +
      `${runs.after.map((a) => mib(a.rssBytes)).join(', ')} (after the warm-up: ${mib(runs.warmUp.rssBytes)}); ` +
      `JS heap + buffers ${(runs.warmUp.liveBytes / MIB).toFixed(1)} -> ${((runs.after.at(-1)?.liveBytes ?? NaN) / MIB).toFixed(1)} MiB. ${why}`.trimEnd(),
    details: { ...runs, fit },
  });
}

/**
 * Row 4: bytes per recorded op in a RecordStore; then what repeated profile runs leave behind
 * in one process: RSS, and threads (each worker, and each device's driver threads, is a thread).
 */
export async function memoryRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const { recordedOps, profileRuns, profileOps } = plan.memory;
  const mainLayout = corePhases(true, false);
  const workerLayout: Phase[] = ['spawn', 'init', ...mainLayout, 'handoff'];
  const rows = [
    bytesRow('4a', 'main thread', mainLayout, recordedOps, await bytesPerOp(mainLayout, recordedOps)),
    bytesRow('4b', 'reused worker', workerLayout, recordedOps, await bytesPerOp(workerLayout, recordedOps)),
  ];
  const request = { runs: profileRuns, ops: profileOps };
  const what = `${profileRuns} profile runs in one process (all strategies, noop 1K, --ops ${profileOps})`;
  // As wgprof's measuring process runs: in the environment it was given, glibc's defaults here.
  const arenas = process.env.MALLOC_ARENA_MAX;
  const runs = await repeatedProfiles(request, { MALLOC_ARENA_MAX: arenas });
  rows.push(
    rssRow(
      '4c',
      `memory: RSS growth per profile run, ${what}, MALLOC_ARENA_MAX=${arenas ?? 'unset'} as the user's environment has it`,
      runs,
      'glibc gives each new thread an arena of its own and keeps what exited threads freed there. ' +
        'No target: wgprof runs each measurement in a process of its own that ends with it, so nothing carries over to the next run.',
      false,
    ),
  );
  const { after } = runs;
  const [first] = after;
  if (first?.threads !== undefined) {
    const most = Math.max(...after.map((a) => a.threads ?? 0));
    rows.push(
      completedRow({
        id: '4d',
        measure: `memory: threads left after each of the ${profileRuns} profile runs`,
        wgprof: { value: after.at(-1)?.threads ?? NaN, unit: 'threads' },
        baseline: { value: first.threads, unit: 'threads' },
        target: {
          text: 'no more than after the first run',
          direction: 'at-most',
          limit: first.threads,
          checked: { value: most, unit: 'threads' },
        },
        note:
          `threads after each run: ${after.map((a) => a.threads).join(', ')} (after the warm-up run: ${runs.warmUp.threads ?? '-'}); ` +
          `open fds: ${after.map((a) => a.fds).join(', ')} (after the warm-up run: ${runs.warmUp.fds ?? '-'}). ` +
          'A worker or a device (its driver threads) that outlived its run shows here, as one more thread each run.',
        details: { warmUp: runs.warmUp, after },
      }),
    );
  }
  // For contrast: with the arenas capped, which curbs the growth but slows every op on lavapipe.
  const capped = await repeatedProfiles(request, { MALLOC_ARENA_MAX: '2' });
  rows.push(
    rssRow(
      '4e',
      'memory: RSS growth per profile run, as 4c with MALLOC_ARENA_MAX=2',
      capped,
      'For contrast only: wgprof no longer sets the cap, which changed the GPU timings it measures.',
      false,
    ),
  );
  return rows;
}
