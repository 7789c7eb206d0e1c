import { TIMING } from '../device/timestamp-check.js';
import { isSelected } from '../measurement/steady-state.js';
import { formatDuration, formatNumber } from '../reports/units.js';
import type { ProfileResult, QualityWarning, StrategyResult, WarningCode } from '../results/result-types.js';
import { steadySamples, storedTotalsByTiming } from '../results/steady-samples.js';
import { CONTRADICTION_CODES, type ContradictionCode } from '../results/verdict-trust.js';
import { summarize, type Summary } from '../statistics/index.js';

/**
 * Figures of one op that cannot all be true: its GPU work outlasting the whole op, submits it
 * never waited for, fewer ops per second than its own time per op allows, more CPU than the
 * machine's cores can give in the wall time. Each means the op returned before its GPU work
 * ended (a sync without its await), so that its time per op, ops/s and every verdict built on
 * them measure only the CPU's part. Thresholds are wide: a correct op lands far from each.
 */

/**
 * The op's GPU time counts as longer than the op when the low end of its median's CI is beyond
 * this many times the high end of the op's: a pass runs inside the op that waits for it, so a
 * correct op's GPU time is at most its whole time (and a timed op, whose passes are the ones
 * read, costs a correct op at most 1.43x an untimed one on lavapipe).
 */
export const GPU_OVER_OP = 2;

/** Fewest GPU readings behind that median: a handful of timed ops cannot show it. */
export const MIN_READINGS = 8;

/**
 * Per thread, the ops' own time must cover at least this share of the wall time that ran them:
 * between a correct op's end and the next one's start there is only wgprof's recording (under a
 * microsecond) and the event loop's turn, and a pool's ops overlap (they cover its concurrency).
 * Below half, the time goes somewhere the op does not count: its GPU work, piling up.
 */
export const MIN_WALL_COVERED = 0.5;

/**
 * A process cannot use more CPU time than its cores give in the wall time: beyond this many
 * times the cores, CPU per op and time per op were not spent on the same work (GPU work that ran
 * while wgprof read timestamps back between ops, outside the op's wall time).
 */
export const CPU_OVER_CORES = 1.5;

/** The op's steady ops with a GPU reading of every pass (passed, or left out as longer than the op). */
function rawGpuTimes(run: StrategyResult): number[] {
  const activity = run.records.activity;
  const codes = run.records.timing;
  if (!activity || !codes) return [];
  const columns = Object.values(activity.passNs);
  const failed = new Set(run.records.failures.map((f) => f.index));
  const cold = new Set(run.records.cold);
  const out: number[] = [];
  codes.forEach((code, i) => {
    if (code !== TIMING.timed && code !== TIMING.outOfSpan) return;
    if (failed.has(i) || !isSelected(cold.has(i), run.everyOpCold, 'steady')) return;
    let sum = 0;
    let passes = 0;
    for (const column of columns) {
      const ns = column[i];
      if (ns === null || ns === undefined) continue;
      sum += ns;
      passes++;
    }
    if (passes > 0 && Number.isFinite(sum)) out.push(sum);
  });
  return out;
}

/**
 * The GPU time to hold against the op's: an op module's from every pass read (those that failed
 * the per-op span check too: a whole op of them is this very contradiction), a kernel's from
 * the readings that passed.
 */
export function gpuTimeOfOp(run: StrategyResult): { summary: Summary; outOfSpan: number } | undefined {
  const raw = rawGpuTimes(run);
  const values = raw.length > 0 ? raw : steadySamples(run, 'kernelGpu');
  if (values.length < MIN_READINGS) return undefined;
  const outOfSpan = (run.records.timing ?? []).filter((c) => c === TIMING.outOfSpan).length;
  return { summary: summarize(values), outOfSpan };
}

/** True when the op's GPU time is beyond GPU_OVER_OP times the op, beyond both CIs. */
export function gpuLongerThanOp(gpu: Summary, total: Summary): boolean {
  return gpu.medianCi.low > GPU_OVER_OP * total.medianCi.high;
}

/** The share of a thread's wall time inside its ops: ops/s times the mean op, per op in flight. */
export function wallCovered(opsPerSecond: number, meanOpNs: number, concurrency: number): number {
  return (opsPerSecond * meanOpNs) / 1e9 / Math.max(1, concurrency);
}

/** The process's CPU time over its wall time, from the per-op figures: how many cores it kept busy. */
export function coresBusy(cpuPerOpNs: number, opsPerSecond: number): number {
  return (cpuPerOpNs * opsPerSecond) / 1e9;
}

const mean = (values: readonly number[]): number =>
  values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;

/** What to do, for an op module (the user's sync) or wgprof's own kernel (which waits for its work). */
function adviceFor(result: ProfileResult): string {
  return result.config.op
    ? "The op's sync returns before its GPU work ends: await queue.onSubmittedWorkDone() or the mapAsync of its output " +
        'in sync (a missing await is the usual cause). Until then its time per op, ops/s and verdicts mean nothing.'
    : "wgprof's own kernels wait for their GPU work in sync, so the op is not at fault: the device's timestamps or clocks " +
        'are (run `wgprof doctor`), or another program ran between its ops. Run again; until it is gone, read no verdict of this scenario.';
}

function contradiction(
  code: ContradictionCode,
  run: StrategyResult,
  message: string,
  advice: string,
): QualityWarning {
  return { code, scenario: run.label, phase: 'total', message: `${run.label}: ${message}`, advice };
}

function gpuWarning(run: StrategyResult, advice: string): QualityWarning[] {
  const total = run.summary.total;
  const gpu = gpuTimeOfOp(run);
  if (!total || !gpu || !gpuLongerThanOp(gpu.summary, total)) return [];
  const g = gpu.summary;
  const times = formatNumber(g.median / total.median);
  const left =
    gpu.outOfSpan > 0
      ? ` wgprof left ${gpu.outOfSpan} of its GPU readings out of the figures as longer than the op that contained them: the readings are right, the op is not.`
      : '';
  return [
    contradiction(
      'gpu-longer-than-op',
      run,
      `the GPU time of its passes (median ${formatDuration(g.median)}, 95% CI ${formatDuration(g.medianCi.low)} - ${formatDuration(g.medianCi.high)}, ` +
        `from ${g.n} timed ops) is ${times}x its whole op (median ${formatDuration(total.median)}, its CI reaching ${formatDuration(total.medianCi.high)}): ` +
        `the op returned before its GPU work ended.${left}`,
      advice,
    ),
  ];
}

function unwaitedWarning(run: StrategyResult, advice: string): QualityWarning[] {
  const perOp = run.activity?.counts.submitsUnwaited;
  const column = run.records.activity?.counts.submitsUnwaited;
  // Most of the instrumented ops (the median) left a submit unwaited: a correct op leaves none.
  if (perOp === undefined || !(perOp >= 1) || !column) return [];
  const values = column.filter((v): v is number => v !== null);
  const ops = values.filter((v) => v > 0).length;
  const submits = run.activity?.counts.submits ?? NaN;
  const count = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return [
    contradiction(
      'submits-not-waited',
      run,
      `${ops} of its ${values.length} instrumented ops returned with ${count(perOp)} of their ${count(submits)} queue submits (median per op) never waited for: ` +
        'no onSubmittedWorkDone or mapAsync on their device, called after them, resolved before the op ended. The GPU work piles up behind later ops.',
      advice,
    ),
  ];
}

function rateWarning(run: StrategyResult, advice: string): QualityWarning[] {
  const total = run.summary.total;
  const { untimed, timed, settle } = storedTotalsByTiming(run);
  const ops = untimed.length > 0 ? untimed : [...timed, ...settle];
  const meanNs = mean(ops);
  if (!total || !(run.opsPerSecond > 0) || !(meanNs > 0) || ops.length < MIN_READINGS) return [];
  const covered = wallCovered(run.opsPerSecond, meanNs, run.concurrency);
  if (covered >= MIN_WALL_COVERED) return [];
  const implied = (ns: number): string => formatNumber((1e9 * run.concurrency) / ns);
  return [
    contradiction(
      'rate-below-op-time',
      run,
      `it completed ${formatNumber(run.opsPerSecond)} ops/s, while its median op (${formatDuration(total.median)}) implies ${implied(total.median)} ` +
        `and even its mean op (${formatDuration(meanNs)}) ${implied(meanNs)}${run.concurrency > 1 ? ` with ${run.concurrency} in flight` : ''}: ` +
        `its ops account for ${(100 * covered).toFixed(covered < 0.1 ? 1 : 0)}% of the wall time, and the rest went to work the op does not count.`,
      advice,
    ),
  ];
}

function cpuWarning(run: StrategyResult, cores: number, advice: string): QualityWarning[] {
  if (!(run.opsPerSecond > 0) || !(run.cpuPerOpNs > 0) || !(cores > 0)) return [];
  const busy = coresBusy(run.cpuPerOpNs, run.opsPerSecond);
  if (busy <= CPU_OVER_CORES * cores) return [];
  return [
    contradiction(
      'cpu-beyond-wall',
      run,
      `its process used ${formatDuration(run.cpuPerOpNs)} of CPU per op while an op took ${formatDuration(1e9 / run.opsPerSecond)} of wall time: ` +
        `${formatNumber(busy)} cores' worth, on a machine of ${cores}. The CPU went to work outside the ops (GPU work that ran while wgprof read timestamps back between them).`,
      advice,
    ),
  ];
}

/** Every scenario's contradictions, scenario by scenario, in CONTRADICTION_CODES's order. */
export function opContradictions(result: ProfileResult): QualityWarning[] {
  const advice = adviceFor(result);
  const cores = result.environment.cpu.cores;
  return result.runs.flatMap((run) => [
    ...gpuWarning(run, advice),
    ...unwaitedWarning(run, advice),
    ...rateWarning(run, advice),
    ...cpuWarning(run, cores, advice),
  ]);
}

const isContradiction = (code: WarningCode): code is ContradictionCode =>
  (CONTRADICTION_CODES as readonly string[]).includes(code);

/**
 * Each scenario marked whose verdict cannot be trusted: its own figures contradict each other, or
 * main's do (every verdict is a ratio to main). Reads the result's warnings.
 */
export function markUntrustedVerdicts(result: ProfileResult): ProfileResult {
  const found = (result.warnings ?? []).filter((w) => isContradiction(w.code) && w.scenario !== undefined);
  if (found.length === 0) return result;
  const main = result.runs.find((r) => r.strategy === 'main');
  const runs = result.runs.map((run): StrategyResult => {
    const own = found.filter(
      (w) => w.scenario === run.label || (main !== undefined && run !== main && w.scenario === main.label),
    );
    if (own.length === 0) return run;
    const codes = CONTRADICTION_CODES.filter((c) => own.some((w) => w.code === c));
    const scenarios = [...new Set(own.map((w) => w.scenario ?? ''))];
    return { ...run, verdictUntrusted: { codes, scenarios } };
  });
  return { ...result, runs };
}
