import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fitLine, median } from '../../statistics/index.js';
import type { ProfileRunOptions } from '../../api/index.js';
import type { ApiCallsRequest, ApiCallsResponse, ProcessState } from '../api-calls.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, Figure } from '../bench-types.js';
import { completedRow } from '../verdict.js';

const API_CALLS = fileURLToPath(new URL('../api-calls.js', import.meta.url));
const MIB = 1024 * 1024;
/** The calls that fill allocator caches and the JIT's code space: the fit starts after them. */
const FIRST_CALLS = 10;
const GROWTH_LIMIT_MIB = 1;

/** The profile each call runs: the smallest there is, on the main thread, in one measuring process. */
const API_CALL = { kernel: 'noop', size: '1K', strategy: 'main', warmup: 2, replicates: 1 } as const;

type Done = Extract<ApiCallsResponse, { type: 'done' }>;

/** Calls `profile` in a fresh process (see api-calls.ts) and returns what it reported. */
function callInChild(request: ApiCallsRequest): Promise<Done> {
  const child = fork(API_CALLS, [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let answer: ApiCallsResponse | undefined;
    child.on('message', (message: ApiCallsResponse) => {
      answer = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.type === 'done') resolve(answer);
      else if (answer?.type === 'error') reject(new Error(answer.message));
      else reject(new Error(`the api-calls process died (${signal ?? `exit code ${code}`})`));
    });
    child.send(request);
  });
}

/** What `after` holds that `before` did not: each resource name as often as it is extra. */
function extraResources(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((name) => {
    const k = left.indexOf(name);
    if (k < 0) return true;
    left.splice(k, 1);
    return false;
  });
}

const mib = (bytes: number): string => (bytes / MIB).toFixed(1);

function counts(s: ProcessState): string {
  return `${s.threads ?? '-'} threads, ${s.children?.length ?? '-'} children, resources [${s.resources.join(', ')}]`;
}

/**
 * Row 9: the API's `profile` called again and again in one process (a fresh one, forked for
 * this): the growth of its resident memory per call after the first ten, and what is left in
 * it after the last call (child processes, threads, active handles).
 */
export async function apiMemoryRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const { calls, ops } = plan.apiMemory;
  if (calls < FIRST_CALLS + 3)
    throw new Error(
      `api-memory: ${calls} calls leave fewer than 3 for the fit after the first ${FIRST_CALLS}`,
    );
  const options: ProfileRunOptions = { ...API_CALL, ops };
  const done = await callInChild({ calls, options });
  const fitted = done.rssBytes.slice(FIRST_CALLS);
  const fit = fitLine(
    fitted.map((_, k) => FIRST_CALLS + k + 1),
    fitted.map((bytes) => bytes / MIB),
  );
  const slope: Figure = { value: fit.slope, unit: 'MiB/call', low: fit.slopeCi[0], high: fit.slopeCi[1] };
  const config = `{ kernel: '${API_CALL.kernel}', size: '${API_CALL.size}', strategy: '${API_CALL.strategy}', ops: ${ops}, warmup: ${API_CALL.warmup}, replicates: ${API_CALL.replicates} }`;
  const gc = done.gc
    ? 'each reading after 100 ms and two global.gc() calls (--expose-gc)'
    : 'each reading after 100 ms, without a GC (no --expose-gc)';

  const { before, afterFirst, after } = done;
  const children = after.children;
  const extraThreads =
    before.threads === undefined || after.threads === undefined
      ? 0
      : Math.max(0, after.threads - before.threads);
  const extra = extraResources(before.resources, after.resources);
  const left = (children?.length ?? 0) + extraThreads + extra.length;
  const leftovers = {
    children: children ?? null,
    extraThreads,
    extraResources: extra,
    threads: {
      before: before.threads ?? null,
      afterFirst: afterFirst.threads ?? null,
      after: after.threads ?? null,
    },
    resources: { before: before.resources, afterFirst: afterFirst.resources, after: after.resources },
  };
  const unchecked = [
    ...(children === undefined ? ['child processes (ps --ppid could not run)'] : []),
    ...(after.threads === undefined ? ['threads (no /proc/self/status)'] : []),
  ];
  return [
    completedRow({
      id: '9a',
      measure: `api: RSS growth per profile() call after the first ${FIRST_CALLS}, ${calls} calls in one process`,
      wgprof: slope,
      target: { text: '<= 1 MiB/call', direction: 'at-most', limit: GROWTH_LIMIT_MIB, checked: slope },
      note:
        `least-squares slope of RSS over calls ${FIRST_CALLS + 1} to ${calls} of profile(${config}) from the built dist, ` +
        `in a process forked for this; ${gc}. RSS after each call (MiB): ${done.rssBytes.map(mib).join(', ')} ` +
        `(before the first: ${mib(before.rssBytes)}); JS heap + buffers ${mib(done.liveBytes[0] ?? NaN)} -> ${mib(done.liveBytes.at(-1) ?? NaN)} MiB; ` +
        `median call ${median(done.callMs).toFixed(0)} ms.`,
      details: {
        calls,
        ops,
        gc: done.gc,
        fit,
        rssBytes: done.rssBytes,
        rssBeforeBytes: before.rssBytes,
        liveBytes: done.liveBytes,
        callMs: done.callMs,
        nativeLines: done.nativeLines,
      },
    }),
    completedRow({
      id: '9b',
      measure: `api: child processes, threads and active handles left after ${calls} profile() calls`,
      wgprof: { value: left, unit: 'count' },
      target: {
        text: 'none left',
        direction: 'at-most',
        limit: 0,
        checked: { value: left, unit: 'count' },
      },
      note:
        `after the last call, against before the first: children by ps --ppid (${children?.length ?? 'unchecked'}), ` +
        `threads above the count before the first call (${extraThreads}: a worker or a device left behind would be one or more), ` +
        `process.getActiveResourcesInfo() entries not there before (${extra.length}${extra.length > 0 ? `: ${extra.join(', ')}` : ''}). ` +
        `Before: ${counts(before)}; after the first call: ${counts(afterFirst)}; after the last: ${counts(after)}. ` +
        `Node 20 lists no Worker in getActiveResourcesInfo, hence the thread count.` +
        (unchecked.length > 0 ? ` Not checked here: ${unchecked.join('; ')}.` : ''),
      details: leftovers,
    }),
  ];
}
