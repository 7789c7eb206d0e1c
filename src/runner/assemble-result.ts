import { activityColumns, summarizeActivity } from '../results/op-activity-records.js';
import type { BreakdownMeasurement } from '../experiments/run-breakdown.js';
import type { SyncMeasurement } from '../experiments/run-sync.js';
import type { RecordStore } from '../measurement/record-store.js';
import type { RoundsOutcome } from '../measurement/rounds.js';
import { summarizeStore } from '../measurement/run-summary.js';
import { isSteadyOp, steadyValues } from '../measurement/steady-state.js';
import { speedupVersusMain } from '../measurement/versus-main.js';
import { interferenceOf } from '../quality/interference.js';
import { qualityWarnings } from '../quality/quality-warnings.js';
import { markUntrustedVerdicts } from '../quality/op-contradictions.js';
import type { DeviceInfo } from '../device/device-info.js';
import type { GpuTimePlan } from '../config/gpu-time.js';
import { opTiming, totalsByTiming } from '../measurement/op-timing.js';
import { untimedOpsPerSecond, untimedWallShare } from '../measurement/timing-cost.js';
import {
  envelope,
  type AnyResult,
  type BreakdownResult,
  type ProfileResult,
  type RoundsRecord,
  type RunContext,
  type StoredRecords,
  type StrategyResult,
  type SyncResult,
} from '../results/result-types.js';
import type { Strategy } from '../strategies/strategy.js';
import type { ReplicateEntry } from './pool-replicates.js';

/**
 * The one place a result is assembled: from what the measuring process measured (the
 * strategies' record stores, or the experiments' rows) to the object result.json holds, with its
 * envelope and its quality warnings. The CLI process adds only what it alone sees: the lines Dawn
 * printed natively on the measuring process's pipes.
 */

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function storeRecords(store: RecordStore): StoredRecords {
  const phases: StoredRecords['phases'] = {};
  for (const phase of store.phases) phases[phase] = Array.from(store.column(phase), orNull);
  const failures: StoredRecords['failures'] = [];
  for (const [index, message] of store.errors) {
    const status = store.status(index);
    if (status !== 'ok') failures.push({ index, status, message });
  }
  failures.sort((a, b) => a.index - b.index);
  const cold: number[] = [];
  store.coldFlags.forEach((c, i) => {
    if (c === 1) cold.push(i);
  });
  return {
    originNs: store.origin.toString(),
    startNs: Array.from(store.startsNs),
    totalNs: Array.from(store.totalsNs, orNull),
    threadIds: Array.from(store.threadIds),
    innerStartNs: Array.from(store.innerStartsNs, orNull),
    phases,
    cold,
    timing: Array.from(store.timingCodes),
    failures,
  };
}

/** What judging a scenario's timing needs of its run: the --gpu-time plan, and the device. */
export interface TimingContext {
  readonly config: { readonly gpuTime?: GpuTimePlan };
  readonly device: DeviceInfo;
}

/** Counts of the steady-state ops by how they ended; a lost op counts as failed. */
function statusCounts(store: RecordStore): { ok: number; failed: number; timedOut: number } {
  const counts = { ok: 0, failed: 0, timedOut: 0 };
  const colds = store.coldFlags;
  for (let i = 0; i < store.count; i++) {
    if (!isSteadyOp(colds[i] === 1, store.everyOpCold)) continue;
    const status = store.status(i);
    if (status === 'ok') counts.ok++;
    else if (status === 'timeout') counts.timedOut++;
    else counts.failed++;
  }
  return counts;
}

export function strategyResult(strategy: Strategy, context: TimingContext, main?: Strategy): StrategyResult {
  const { store, meter, scenario } = strategy;
  const timing = opTiming(store, context.config.gpuTime, context.device);
  const { untimed, timed, settle } = totalsByTiming(store);
  // The untimed ops' share of the wall time and of the process's CPU: timed ops took longer.
  const share = untimedWallShare(untimed, timed, settle);
  const activity =
    strategy.activity && strategy.activity.size > 0
      ? activityColumns(strategy.activity, store.count)
      : undefined;
  const counts = statusCounts(store);
  const perOp = untimed.length > 0 ? untimed.length : counts.ok;
  const vsMain = main
    ? speedupVersusMain(
        steadyValues(main.store.totalsNs, main.store),
        steadyValues(store.totalsNs, store),
        scenario.concurrency,
      )
    : undefined;
  const result: StrategyResult = {
    strategy: scenario.strategy,
    label: scenario.label,
    concurrency: scenario.concurrency,
    ...(scenario.handoff ? { handoff: scenario.handoff } : {}),
    opsOk: counts.ok,
    opsFailed: counts.failed,
    opsTimedOut: counts.timedOut,
    wallNs: meter.wallNs,
    opsPerSecond: untimedOpsPerSecond(meter.wallNs, untimed, timed, counts.ok, settle),
    cpuPerOpNs: perOp > 0 ? (meter.processCpuNs * share) / perOp : 0,
    ...(strategy.threadCpuNs === undefined ? {} : { threadCpuNs: strategy.threadCpuNs }),
    everyOpCold: store.everyOpCold,
    ...(vsMain ? { vsMain } : {}),
    ...(strategy.lost ? { deviceLost: strategy.lost } : {}),
    ...(strategy.stuckThreads?.length ? { stuckThreads: [...strategy.stuckThreads] } : {}),
    summary: summarizeStore(store, 'steady'),
    coldSummary: summarizeStore(store, 'cold'),
    timing,
    records: { ...storeRecords(store), ...(activity ? { activity } : {}) },
  };
  const summary = summarizeActivity(result);
  return summary ? { ...result, activity: summary } : result;
}

function judged<R extends AnyResult>(result: R): R {
  return { ...result, warnings: qualityWarnings(result) };
}

/** A profile's warnings, and its scenarios marked whose verdicts they leave untrusted. */
function judgedProfile(result: ProfileResult): ProfileResult {
  return markUntrustedVerdicts(judged(result));
}

export function assembleProfile(
  run: RunContext,
  strategies: readonly Strategy[],
  rounds: RoundsOutcome,
): ProfileResult {
  const main = strategies.find((m) => m.scenario.strategy === 'main');
  return judgedProfile({
    ...envelope('profile', run),
    rounds: {
      count: rounds.rounds,
      stoppedBy: rounds.stoppedBy,
      elapsedMs: rounds.elapsedMs,
    },
    runs: strategies.map((s) => strategyResult(s, run, main)),
  });
}

/** What the replicated schedule adds to a profile's result: how its scenarios were kept apart. */
export interface IsolationInput {
  readonly processes: number;
  readonly probeOps: number;
  readonly entries: readonly ReplicateEntry[];
}

/** A profile from its scenarios' pooled replicates (runner/replicated-profile.ts). */
export function assembleReplicatedProfile(
  run: RunContext,
  runs: readonly StrategyResult[],
  rounds: RoundsRecord,
  isolation: IsolationInput,
): ProfileResult {
  const probes = isolation.entries.flatMap((e) =>
    e.measured.probe
      ? [{ ...(e.after === undefined ? {} : { after: e.after }), medianNs: e.measured.probe.medianNs }]
      : [],
  );
  return judgedProfile({
    ...envelope('profile', run),
    rounds,
    isolation: {
      replicates: rounds.count,
      processes: isolation.processes,
      probeOps: isolation.probeOps,
      interference: interferenceOf(probes),
    },
    runs,
  });
}

export function assembleBreakdown(run: RunContext, measured: BreakdownMeasurement): BreakdownResult {
  return judged({ ...envelope('breakdown', run), ...measured });
}

export function assembleSync(run: RunContext, measured: SyncMeasurement): SyncResult {
  return judged({ ...envelope('sync', run), ...measured });
}
