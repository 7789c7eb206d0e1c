import type { Phase } from '../op/phases.js';
import { PHASE_LABEL } from '../op/phases.js';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';

/** One Chrome Trace Event: a complete slice ('X') or a name for a thread ('M'). */
export type TraceEvent =
  | {
      readonly name: string;
      readonly cat: string;
      readonly ph: 'X';
      /** Microseconds since the run's origin. */
      readonly ts: number;
      readonly dur: number;
      readonly pid: number;
      readonly tid: number;
      readonly args?: Record<string, string | number>;
    }
  | {
      readonly name: 'thread_name' | 'process_name';
      readonly ph: 'M';
      readonly pid: number;
      readonly tid: number;
      readonly args: { readonly name: string };
    };

export interface TraceFile {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ns';
  readonly otherData: Record<string, string>;
}

/** Tracks that are not threads (the main thread's waits on worker ops) get ids from here up. */
const LANE_BASE = 1_000_000;
/** Phases that run inside the op's thread, end to end from the op's start there. */
const IN_THREAD: readonly Phase[] = ['creation', 'kernelCpu', 'sync', 'readback'];

const us = (ns: number): number => ns / 1000;

function phaseValue(run: StrategyResult, phase: Phase, i: number): number | undefined {
  const v = run.records.phases[phase]?.[i];
  return v === null || v === undefined ? undefined : v;
}

/**
 * The run as Chrome Trace Event JSON, which Perfetto's UI and chrome://tracing open: one process
 * per measuring process (a scenario's replicate), one track per thread in it (main, each worker)
 * with a slice per phase of every op, all on the run's one clock. The main
 * thread's waits on worker ops go on tracks of their own ("lanes"), enough of them that slices
 * on one track never overlap (a pool keeps several ops in flight). GPU time is not drawn: its
 * timestamps are on the GPU's clock, not the process's.
 */
export function* traceEvents(result: ProfileResult): Generator<TraceEvent> {
  /** Thread names by process, then thread id. */
  const names = new Map<number, Map<number, string>>();
  /** Process ids by scenario and replicate: each replicate ran in a process of its own. */
  const pids = new Map<string, number>();
  const pidOf = (run: StrategyResult, replicate: number): number => {
    const key = `${run.label}\u0000${replicate}`;
    let pid = pids.get(key);
    if (pid === undefined) {
      pid = pids.size + 1;
      pids.set(key, pid);
      const many = (run.replicates?.length ?? 0) > 1;
      named.push({
        name: 'process_name',
        ph: 'M',
        pid,
        tid: 0,
        args: { name: `wgprof measuring process: ${run.label}${many ? `, replicate ${replicate + 1}` : ''}` },
      });
      names.set(pid, new Map([[0, 'main thread']]));
    }
    return pid;
  };
  /** A process's name, to go out before the next slice (pidOf is called inside expressions). */
  const named: TraceEvent[] = [];

  for (const run of result.runs) {
    const { startNs, totalNs, threadIds, innerStartNs, cold, failures } = run.records;
    const failed = new Map(failures.map((f) => [f.index, f]));
    const coldSet = new Set(cold);
    const laneEnds = new Map<number, number[]>();
    for (let i = 0; i < startNs.length; i++) {
      const pid = pidOf(run, run.records.replicate?.[i] ?? 0);
      yield* named.splice(0);
      const threadNames = names.get(pid) ?? new Map<number, string>();
      const lanes = laneEnds.get(pid) ?? [];
      laneEnds.set(pid, lanes);
      const start = startNs[i] ?? 0;
      const total = totalNs[i] ?? 0;
      const tid = threadIds?.[i] ?? 0;
      const inner = innerStartNs?.[i] ?? start;
      const onWorker = run.strategy !== 'main';
      if (tid !== 0 && !threadNames.has(tid)) threadNames.set(tid, `${run.label} worker (thread ${tid})`);
      // The main thread's wait for a worker op, on the first lane free at its start.
      if (onWorker && run.strategy !== 'persistent') {
        let lane = lanes.findIndex((end) => end <= start);
        if (lane < 0) lane = lanes.push(0) - 1;
        lanes[lane] = start + total;
        const laneTid = LANE_BASE + lane;
        threadNames.set(
          laneTid,
          `main thread: waiting on ${run.label}${lanes.length > 1 || run.concurrency > 1 ? ` (lane ${lane + 1})` : ''}`,
        );
        const args: Record<string, string | number> = { op: i };
        for (const p of ['spawn', 'handoff'] as const) {
          const v = phaseValue(run, p, i);
          if (v !== undefined) args[`${p} (us)`] = us(v);
        }
        yield {
          name: `${run.label} op ${i}`,
          cat: run.label,
          ph: 'X',
          ts: us(start),
          dur: us(total),
          pid,
          tid: laneTid,
          args,
        };
      }
      const failure = failed.get(i);
      if (failure) {
        if (!onWorker)
          yield {
            name: `failed: ${failure.message}`,
            cat: run.label,
            ph: 'X',
            ts: us(start),
            dur: us(total),
            pid,
            tid,
            args: { op: i },
          };
        continue;
      }
      const init = coldSet.has(i) ? phaseValue(run, 'init', i) : undefined;
      if (init !== undefined && tid !== 0) {
        yield {
          name: PHASE_LABEL.init,
          cat: run.label,
          ph: 'X',
          ts: us(inner - init),
          dur: us(init),
          pid,
          tid,
          args: { op: i },
        };
      }
      let at = inner;
      for (const phase of IN_THREAD) {
        const v = phaseValue(run, phase, i);
        if (v === undefined) continue;
        yield {
          name: PHASE_LABEL[phase],
          cat: run.label,
          ph: 'X',
          ts: us(at),
          dur: us(v),
          pid,
          tid,
          args: { op: i },
        };
        at += v;
      }
      const teardown = phaseValue(run, 'teardown', i);
      if (teardown !== undefined) {
        yield {
          name: PHASE_LABEL.teardown,
          cat: run.label,
          ph: 'X',
          ts: us(at),
          dur: us(teardown),
          pid,
          tid,
          args: { op: i },
        };
      }
    }
  }
  for (const [pid, threads] of names)
    for (const [tid, name] of threads) yield { name: 'thread_name', ph: 'M', pid, tid, args: { name } };
}

function otherData(result: ProfileResult): TraceFile['otherData'] {
  return {
    tool: 'wgprof',
    kernel: result.config.kernel,
    createdAt: result.createdAt,
    originNs: result.runs[0]?.records.originNs ?? '0',
  };
}

/** The whole trace as one object: for small results and the tests; traceText writes any size. */
export function toTrace(result: ProfileResult): TraceFile {
  return { traceEvents: [...traceEvents(result)], displayTimeUnit: 'ns', otherData: otherData(result) };
}

/**
 * The trace as JSON text, in pieces as it is made, one event to a line: the document
 * JSON.stringify(toTrace(result)) gives, laid out otherwise. A trace is about six times its
 * result's size (2M ops: 134 MB of result, 827 MB of trace), past the 512 MiB a JavaScript
 * string can hold, so it is never one string.
 */
export function* traceText(result: ProfileResult): Generator<string> {
  yield '{"traceEvents":[';
  let separator = '\n';
  for (const event of traceEvents(result)) {
    yield `${separator}${JSON.stringify(event)}`;
    separator = ',\n';
  }
  yield `\n],"displayTimeUnit":"ns","otherData":${JSON.stringify(otherData(result))}}\n`;
}
