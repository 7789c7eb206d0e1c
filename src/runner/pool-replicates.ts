import { gpuWorkPlacement } from '../measurement/gpu-work-placement.js';
import { concatActivity, summarizeActivity } from '../results/op-activity-records.js';
import type { SummaryKey } from '../measurement/run-summary.js';
import { speedupOf, speedupVersusMain, type Speedup } from '../measurement/versus-main.js';
import type {
  ReplicateAgreement,
  ReplicateSummary,
  Settle,
  StoredRecords,
  StrategyResult,
} from '../results/result-types.js';
import { storedTotalsByTiming, storedValues } from '../results/steady-samples.js';
import { DEFAULT_GPU_TIME } from '../config/gpu-time.js';
import { addHealth, judgeTimestamps, NO_READINGS, type TimestampHealth } from '../device/timestamp-check.js';
import { timingSummary, untimedOpsPerSecond, type TimingSummary } from '../measurement/timing-cost.js';
import {
  hierarchicalMedianCi,
  hierarchicalRatioCi,
  rerunInterval,
  summarize,
  type Summary,
} from '../statistics/index.js';
import type { StuckThread } from '../strategies/strategy.js';
import type { ReplicateRun } from './protocol.js';

/**
 * From a scenario's replicates (each a measuring process and device of its own) to the one run
 * result.json keeps: records side by side, summaries of the pooled ops whose CIs resample the
 * replicates first and the ops within them second, and `vs main` paired by round, so that a
 * device that ran at another speed in one process widens the interval instead of vanishing
 * into the op-to-op noise.
 */

/** One replicate as the schedule ran it. */
export interface ReplicateEntry {
  readonly round: number;
  readonly position: number;
  /** The scenario whose process ran just before, if any. */
  readonly after?: string;
  readonly settle?: Settle;
  /** hrtime of the replicate's process at its origin, which its records count from. */
  readonly originNs: bigint;
  readonly measured: ReplicateRun;
}

const shifted = (values: readonly number[], by: number): number[] => values.map((v) => v + by);

/** The replicates' records one after another, their clocks moved onto the run's origin. */
function poolRecords(entries: readonly ReplicateEntry[], origin: bigint): StoredRecords {
  const out = {
    originNs: origin.toString(),
    startNs: [] as number[],
    totalNs: [] as (number | null)[],
    threadIds: [] as number[],
    innerStartNs: [] as (number | null)[],
    phases: {} as Record<string, (number | null)[]>,
    cold: [] as number[],
    timing: [] as number[],
    failures: [] as StoredRecords['failures'][number][],
    replicate: [] as number[],
  };
  entries.forEach((entry, replicate) => {
    const records = entry.measured.run.records;
    const offset = out.totalNs.length;
    // hrtime is one monotonic clock for every process on the machine: the origins subtract.
    const shift = Number(BigInt(records.originNs) - origin);
    const n = records.totalNs.length;
    out.startNs.push(...shifted(records.startNs, shift));
    out.totalNs.push(...records.totalNs);
    out.threadIds.push(...(records.threadIds ?? new Array<number>(n).fill(0)));
    out.innerStartNs.push(...(records.innerStartNs ?? []).map((v) => (v === null ? null : v + shift)));
    for (const [phase, column] of Object.entries(records.phases)) {
      const into = (out.phases[phase] ??= new Array<number | null>(offset).fill(null));
      into.push(...column);
    }
    for (const column of Object.values(out.phases)) while (column.length < offset + n) column.push(null);
    out.cold.push(...records.cold.map((i) => i + offset));
    out.timing.push(...(records.timing ?? new Array<number>(n).fill(0)));
    out.failures.push(...records.failures.map((f) => ({ ...f, index: f.index + offset })));
    out.replicate.push(...new Array<number>(n).fill(replicate));
  });
  const activity = concatActivity(
    entries.map(({ measured: { run } }) => ({
      count: run.records.totalNs.length,
      ...(run.records.activity ? { activity: run.records.activity } : {}),
    })),
  );
  return activity ? { ...out, activity } : out;
}

/** The replicates' stuck threads, their record indices moved as poolRecords moves the records. */
function pooledStuckThreads(runs: readonly StrategyResult[]): StuckThread[] {
  let offset = 0;
  return runs.flatMap((run) => {
    const moved = (run.stuckThreads ?? []).map((t) =>
      t.index === undefined ? t : { ...t, index: t.index + offset },
    );
    offset += run.records.totalNs.length;
    return moved;
  });
}

const KEYS = (runs: readonly StrategyResult[], which: 'summary' | 'coldSummary'): SummaryKey[] => [
  ...new Set(runs.flatMap((r) => Object.keys(r[which]) as SummaryKey[])),
];

/** Pooled summaries; with several replicates, each median's CI is the hierarchical bootstrap's. */
function poolSummaries(runs: readonly StrategyResult[]): Partial<Record<SummaryKey, Summary>> {
  const out: Partial<Record<SummaryKey, Summary>> = {};
  for (const key of KEYS(runs, 'summary')) {
    const groups = runs.map((r) => storedValues(r, key, 'steady'));
    const pooled = groups.flat();
    if (pooled.length === 0) continue;
    const summary = summarize(pooled);
    const withValues = groups.filter((g) => g.length > 0).length;
    if (withValues < 2) {
      out[key] = summary;
      continue;
    }
    const ci = hierarchicalMedianCi(groups);
    out[key] = {
      ...summary,
      medianCi: {
        low: ci.low,
        high: ci.high,
        level: ci.level,
        method: ci.method,
        resamples: ci.resamples,
        exact: false,
      },
    };
  }
  return out;
}

function poolColdSummaries(runs: readonly StrategyResult[]): Partial<Record<SummaryKey, Summary>> {
  const out: Partial<Record<SummaryKey, Summary>> = {};
  for (const key of KEYS(runs, 'coldSummary')) {
    const pooled = runs.flatMap((r) => storedValues(r, key, 'cold'));
    if (pooled.length > 0) out[key] = summarize(pooled);
  }
  return out;
}

/** Speed relative to main, pooled: replicates paired by round, resampled together. */
export function pooledVersusMain(
  entries: readonly ReplicateEntry[],
  main: readonly ReplicateEntry[],
  concurrency: number,
): Speedup | undefined {
  const mainGroups: number[][] = [];
  const groups: number[][] = [];
  for (const entry of entries) {
    const partner = main.find((m) => m.round === entry.round);
    if (!partner) continue;
    mainGroups.push(storedValues(partner.measured.run, 'total', 'steady'));
    groups.push(storedValues(entry.measured.run, 'total', 'steady'));
  }
  if (!mainGroups.some((g, i) => g.length > 0 && (groups[i]?.length ?? 0) > 0)) return undefined;
  const ci = hierarchicalRatioCi(mainGroups, groups);
  const speedup = speedupOf(ci, concurrency);
  // One replicate's CI is its ops' alone: it knows nothing of another device's speed.
  return ci.groups >= 2 ? { ...speedup, rerun: rerunInterval(speedup) } : speedup;
}

function replicateSummary(
  entry: ReplicateEntry,
  main: readonly ReplicateEntry[] | undefined,
  concurrency: number,
): ReplicateSummary {
  const { run, rounds, probe } = entry.measured;
  const medianNs: Partial<Record<SummaryKey, number>> = {};
  for (const [key, summary] of Object.entries(run.summary)) medianNs[key as SummaryKey] = summary.median;
  const partner = main?.find((m) => m.round === entry.round);
  const vsMain = partner
    ? speedupVersusMain(
        storedValues(partner.measured.run, 'total', 'steady'),
        storedValues(run, 'total', 'steady'),
        concurrency,
      )
    : undefined;
  const total = run.summary.total;
  const placement = gpuWorkPlacement(medianNs);
  return {
    round: entry.round,
    position: entry.position,
    ...(entry.after === undefined ? {} : { after: entry.after }),
    opsOk: run.opsOk,
    medianNs,
    ...(total ? { totalCi: { low: total.medianCi.low, high: total.medianCi.high } } : {}),
    ...(vsMain ? { vsMain } : {}),
    stoppedBy: rounds.stoppedBy,
    ...(run.deviceLost ? { deviceLost: run.deviceLost } : {}),
    ...(entry.measured.start.warmup.cutShort ? { warmupOps: entry.measured.start.warmup.ops } : {}),
    ...(entry.measured.start.warmup.ms === undefined ? {} : { warmupMs: entry.measured.start.warmup.ms }),
    ...(placement ? { gpuWork: placement } : {}),
    ...(probe && Number.isFinite(probe.medianNs) ? { probeNs: probe.medianNs } : {}),
    ...(entry.settle ? { settle: entry.settle } : {}),
  };
}

/**
 * Replicates disagree when two of them have CIs of their medians that do not overlap and
 * medians further apart than `band` (a share): a difference their own ops cannot explain.
 */
export function replicateAgreement(
  replicates: readonly ReplicateSummary[],
  band: number,
): ReplicateAgreement {
  const judged = replicates.filter((r) => r.totalCi && r.medianNs.total !== undefined);
  const medians = judged.map((r) => r.medianNs.total ?? NaN);
  const spread = medians.length > 0 ? Math.max(...medians) / Math.min(...medians) - 1 : 0;
  let agree = true;
  for (const a of judged)
    for (const b of judged) {
      const [ma, mb] = [a.medianNs.total ?? NaN, b.medianNs.total ?? NaN];
      if ((a.totalCi?.low ?? 0) > (b.totalCi?.high ?? Infinity) && ma / mb - 1 > band) agree = false;
    }
  return { agree, spread };
}

/** One scenario's run from its replicates; `main` is main's replicates (absent for main itself, or when main did not run). */
export function poolReplicates(
  given: readonly ReplicateEntry[],
  main: readonly ReplicateEntry[] | undefined,
  origin: bigint,
  band: number,
): StrategyResult {
  const { entries, timing } = pooledTiming(given);
  const runs = entries.map((e) => e.measured.run);
  const first = runs[0];
  if (!first) throw new Error('poolReplicates: a scenario with no replicate');
  const sum = (f: (r: StrategyResult) => number): number => runs.reduce((acc, r) => acc + f(r), 0);
  const opsOk = sum((r) => r.opsOk);
  const wallNs = sum((r) => r.wallNs);
  const split = runs.map(storedTotalsByTiming);
  const untimed = split.flatMap((s) => s.untimed);
  const timed = split.flatMap((s) => s.timed);
  const settle = split.flatMap((s) => s.settle);
  // Each replicate's CPU per op is already its untimed ops'; weighted by how many it had.
  const cpuWeight = (r: StrategyResult): number => r.timing?.untimedOps || r.opsOk;
  const threadCpu = runs.filter((r) => r.threadCpuNs !== undefined);
  const vsMain = main ? pooledVersusMain(entries, main, first.concurrency) : undefined;
  const lost = runs.find((r) => r.deviceLost)?.deviceLost;
  const stuck = pooledStuckThreads(runs);
  const replicates = entries.map((e) => replicateSummary(e, main, first.concurrency));
  const pooled: StrategyResult = {
    strategy: first.strategy,
    label: first.label,
    concurrency: first.concurrency,
    ...(first.handoff ? { handoff: first.handoff } : {}),
    opsOk,
    opsFailed: sum((r) => r.opsFailed),
    opsTimedOut: sum((r) => r.opsTimedOut),
    wallNs,
    opsPerSecond: untimedOpsPerSecond(wallNs, untimed, timed, opsOk, settle),
    cpuPerOpNs: sum(cpuWeight) > 0 ? sum((r) => r.cpuPerOpNs * cpuWeight(r)) / sum(cpuWeight) : 0,
    ...(threadCpu.length > 0 ? { threadCpuNs: threadCpu.reduce((a, r) => a + (r.threadCpuNs ?? 0), 0) } : {}),
    everyOpCold: first.everyOpCold,
    ...(vsMain ? { vsMain } : {}),
    ...(lost ? { deviceLost: lost } : {}),
    ...(stuck.length > 0 ? { stuckThreads: stuck } : {}),
    summary: poolSummaries(runs),
    replicates,
    ...(replicates.length > 1 ? { replicateAgreement: replicateAgreement(replicates, band) } : {}),
    coldSummary: poolColdSummaries(runs),
    ...(timing ? { timing } : {}),
    records: poolRecords(entries, origin),
  };
  const activity = summarizeActivity(pooled);
  return activity ? { ...pooled, activity } : pooled;
}

/**
 * The replicates' timing pooled: their readings' health added and judged again (a device whose
 * timestamps fail in every process is not trusted even where each process saw too few readings
 * to tell), the cost of timing with replicates paired to their own untimed ops. When the pooled
 * verdict is not to trust them, every replicate's GPU times are dropped from its records before
 * anything is pooled from them. Results without timing pass through unchanged.
 */
function pooledTiming(entries: readonly ReplicateEntry[]): {
  entries: readonly ReplicateEntry[];
  timing?: TimingSummary;
} {
  const timings = entries.map((e) => e.measured.run.timing);
  const first = entries[0];
  if (!first || timings.some((t) => t === undefined)) return { entries };
  const health = timings.reduce<TimestampHealth>((h, t) => (t ? addHealth(h, t.timestamps) : h), NO_READINGS);
  const trusted = judgeTimestamps(health).trusted;
  const kept = trusted
    ? entries
    : entries.map((e) => ({ ...e, measured: { ...e.measured, run: withoutGpuTimes(e.measured.run) } }));
  const split = kept.map((e) => storedTotalsByTiming(e.measured.run));
  const plan = first.measured.config.gpuTime ?? DEFAULT_GPU_TIME;
  return {
    entries: kept,
    timing: timingSummary(
      plan,
      split.map((s) => s.untimed),
      split.map((s) => s.timed),
      health,
    ),
  };
}

/** A run whose GPU times are not figures: its kernelGpu records null, its summaries without them. */
function withoutGpuTimes(run: StrategyResult): StrategyResult {
  const { kernelGpu, ...phases } = run.records.phases;
  const dropped = kernelGpu ? { ...phases, kernelGpu: kernelGpu.map(() => null) } : phases;
  const summary = { ...run.summary };
  const coldSummary = { ...run.coldSummary };
  delete summary.kernelGpu;
  delete coldSummary.kernelGpu;
  return { ...run, summary, coldSummary, records: { ...run.records, phases: dropped } };
}

/** The pooled total's median and its hierarchical CI: what the stopping rule reads after a round. */
export function pooledTotal(
  entries: readonly ReplicateEntry[],
): { median: number; low: number; high: number } | undefined {
  const groups = entries.map((e) => storedValues(e.measured.run, 'total', 'steady'));
  if (groups.every((g) => g.length === 0)) return undefined;
  const ci = hierarchicalMedianCi(groups, { resamples: 500 });
  return { median: ci.estimate, low: ci.low, high: ci.high };
}
