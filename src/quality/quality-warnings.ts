import { leakedBuffers } from './op-module-warnings.js';
import { opContradictions } from './op-contradictions.js';
import { OUTLASTING, type ContradictionCode } from '../results/verdict-trust.js';
import { attributionSteps } from '../experiments/attribution.js';
import { typelessModule } from './module-type-warning.js';
import type { ComponentRow } from '../experiments/experiment.js';
import { PHASE_LABEL, PHASES } from '../op/phases.js';
import { formatDuration, formatNumber } from '../reports/units.js';
import {
  WARNING_CODES,
  type AnyResult,
  type BreakdownResult,
  type ProfileResult,
  type QualityWarning,
  type StrategyResult,
  type SyncResult,
  type WarningCode,
} from '../results/result-types.js';
import { steadySamples } from '../results/steady-samples.js';
import { farOutShare, median, type Summary } from '../statistics/index.js';
import { fitDrift, isDrift, roundMedians } from './drift.js';
import { isolationWarnings } from './isolation-warnings.js';
import { runWarnings } from './run-warnings.js';
import { timingWarnings } from './timing-warnings.js';
import type { SummaryKey } from '../measurement/run-summary.js';

/**
 * Fewest samples behind a median before its CI is worth reading. The distribution-free 95% CI of
 * a median spans the order statistics n/2 ± 0.98·sqrt(n): at n = 10 that is x(2)..x(9), nearly the
 * whole sample, and the percentile bootstrap of a median (which can only land on sample values)
 * is coarse and too narrow that small. At 30 the CI is the middle third of the sample. It is also
 * the fewest steady ops a profile's rounds take before --max-noise may end them.
 */
export const MIN_SAMPLES = 30;

/**
 * A median under this many clock floors (the larger of the clock's step and the cost of reading
 * it) is noise: every timed interval includes about one reading, so there the clock alone is more
 * than a tenth of the figure, more than the few percent a run's CIs resolve.
 */
export const FLOOR_MULTIPLE = 10;

/** Dawn's timestamp quantum: with quantization on, GPU durations are multiples of it. */
export const TIMESTAMP_QUANTUM_NS = 65_536;

/**
 * A first op this many times a warm one is called slow: main's first op on lavapipe is about
 * 1.4x (a warm pipeline's first dispatch), a new worker's 7x (its isolate, device and pipeline).
 */
export const SLOW_FIRST_OP = 2;

/**
 * A share of ops above the far-out fence (Q3 + 3·IQR) beyond this is a heavy tail: a normal sample
 * puts about 1e-6 of its values there and an exponential one 0.93%, so over 2% is a tail heavier
 * than exponential.
 */
export const FAR_OUT_SHARE = 0.02;
/**
 * ...and at least this many ops must be there, so that a short run's chance handful is not a tail:
 * of 40 ops from an exponential tail, 3 or more land beyond the fence 0.6% of the time (2 or more, 5%).
 */
export const FAR_OUT_MIN_COUNT = 3;

/** How a subject is named: in the warning's fields, and in its message. */
interface Subject {
  readonly key: { readonly scenario: string } | { readonly row: string };
  readonly name: string;
}

const scenarioSubject = (run: StrategyResult): Subject => ({ key: { scenario: run.label }, name: run.label });
const rowSubject = (row: ComponentRow): Subject => ({ key: { row: row.id }, name: row.label });

function warning(
  code: WarningCode,
  subject: Subject | undefined,
  phase: SummaryKey | undefined,
  message: string,
  advice: string,
): QualityWarning {
  const where = [subject?.name, phase === undefined ? undefined : keyLabel(phase)].filter((s) => s);
  return {
    code,
    ...subject?.key,
    ...(phase === undefined ? {} : { phase }),
    message: where.length > 0 ? `${where.join(', ')}: ${message}` : message,
    advice,
  };
}

function keyLabel(key: SummaryKey): string {
  return key === 'total' ? 'total' : key === 'leftover' ? 'unaccounted' : PHASE_LABEL[key];
}

const duration = formatDuration;

/** "2.0%", "22%": one decimal below 10%, whole numbers above. */
function percent(fraction: number, signed = false): string {
  const value = 100 * fraction;
  return `${signed && value > 0 ? '+' : ''}${value.toFixed(Math.abs(value) < 10 ? 1 : 0)}%`;
}

const halfWidth = (s: Summary): number => (s.medianCi.high - s.medianCi.low) / 2;

function stoppedBy(result: AnyResult): string {
  return result.kind === 'profile' ? result.rounds.stoppedBy : result.repeat.stoppedBy;
}

/** What gives a run more samples, by what stopped this one; `atLeast` when a count is the point. */
function runLongerAdvice(result: AnyResult, atLeast?: number): string {
  const ops = result.kind === 'profile' ? '--ops' : '--reps';
  const seconds = (result.kind === 'profile' ? result.rounds : result.repeat).elapsedMs / 1000;
  switch (stoppedBy(result)) {
    case 'ops':
    case 'reps':
      return (
        `Run more: raise ${ops}${atLeast === undefined ? '' : ` to ${atLeast} or more`}, or leave it out ` +
        'so that the run goes on until every median is known to --max-noise.'
      );
    case 'time-budget':
      return `Run longer: raise --time-budget (this run spent all of its ${formatNumber(seconds)} s).`;
    case 'futile':
      return 'Run longer: raise --time-budget or --replicates (the verdicts left could not settle in the rounds this budget had left).';
    case 'settled':
    case 'rounds':
      return `Run longer: raise --replicates, or pass --ops ${atLeast ?? 'N'} or more (the verdicts settled on fewer).`;
    case 'noise':
      return atLeast === undefined
        ? `Run longer: lower --max-noise (it was ${percent(result.config.maxNoise)}).`
        : `Run longer: pass ${ops} ${atLeast} or more (--max-noise was met on fewer).`;
    case 'interrupted':
      return 'Let the run finish: it was interrupted.';
    default:
      return 'Run again: the device was lost before enough had run.';
  }
}

// ---- checks on one median, for any kind of result ----

/** Fewer than MIN_SAMPLES behind a median; says how wide its CI came out. */
function tooFewSamples(
  subject: Subject,
  phase: SummaryKey | undefined,
  s: Summary | undefined,
  what: string,
  advice: string,
): QualityWarning[] {
  if (!s || s.n >= MIN_SAMPLES) return [];
  const width = s.median > 0 ? ` (its 95% CI is ±${percent(halfWidth(s) / s.median)} of it)` : '';
  return [
    warning(
      'too-few-samples',
      subject,
      phase,
      `only ${s.n} ${what} behind its median${width}; a stable median and CI need ${MIN_SAMPLES} or more.`,
      advice,
    ),
  ];
}

/** A median known less precisely than --max-noise asked (once there are enough samples). */
function noisyMedian(
  subject: Subject,
  phase: SummaryKey | undefined,
  s: Summary | undefined,
  maxNoise: number,
  advice: string,
): QualityWarning[] {
  if (!s || s.n < MIN_SAMPLES || s.median <= 0) return [];
  const noise = halfWidth(s) / s.median;
  if (noise <= maxNoise) return [];
  return [
    warning(
      'wide-ci',
      subject,
      phase,
      `the 95% CI of its median (${duration(s.medianCi.low)} - ${duration(s.medianCi.high)}) is ±${percent(noise)} of it, ` +
        `wider than the --max-noise of ${percent(maxNoise)}: differences smaller than that mean nothing.`,
      `${advice} Close other programs: a busy machine widens every CI.`,
    ),
  ];
}

/** The clock's floor: its step or the cost of one reading, whichever is larger. */
function clockFloorNs(result: AnyResult): number {
  const { resolutionNs, costNs } = result.environment.timer;
  return Math.max(resolutionNs, costNs);
}

/** A median within FLOOR_MULTIPLE floors of the clock that timed it. */
function belowTimerResolution(
  result: AnyResult,
  subject: Subject | undefined,
  phase: SummaryKey | undefined,
  s: Summary | undefined,
): QualityWarning[] {
  if (!s || phase === 'leftover') return [];
  const gpu = phase === 'kernelGpu';
  // GPU times come from timestamp queries, not the CPU clock; their step is known only when quantized.
  if (gpu && !quantized(result)) return [];
  const floor = gpu ? TIMESTAMP_QUANTUM_NS : clockFloorNs(result);
  if (s.median >= FLOOR_MULTIPLE * floor) return [];
  const { resolutionNs, costNs } = result.environment.timer;
  const clock = gpu
    ? `the GPU timestamps' quantum of ${duration(floor)}`
    : `the clock's floor (a step of ${resolutionNs} ns, ${costNs} ns per reading)`;
  return [
    warning(
      'below-timer-resolution',
      subject,
      phase,
      `its median ${duration(s.median)} is within ${FLOOR_MULTIPLE}x ${clock}: at this size it is noise, not a figure.`,
      gpu
        ? 'Run without --quantize-timestamps so that GPU times are exact.'
        : `Read it as "under ${duration(FLOOR_MULTIPLE * floor)}", not as a figure; time many of them together (one op doing more work, or wgprof sync's batching) to measure it.`,
    ),
  ];
}

/** The slowest ops beyond Q3 + 3 IQR, when there are more of them than even an exponential tail has. */
function outliers(
  subject: Subject,
  phase: SummaryKey | undefined,
  samples: readonly number[],
  advice: string,
): QualityWarning[] {
  if (samples.length < MIN_SAMPLES) return [];
  const far = farOutShare(samples);
  if (far.share <= FAR_OUT_SHARE || far.count < FAR_OUT_MIN_COUNT) return [];
  return [
    warning(
      'outliers',
      subject,
      phase,
      `${far.count} of ${samples.length} (${percent(far.share)}) took longer than Q3 + 3 IQR (${duration(far.fence)}), ` +
        `the slowest ${duration(Math.max(...samples))} against a median of ${duration(median(samples))}: a heavy tail, which moves the mean and p99 but not the median.`,
      advice,
    ),
  ];
}

const TAIL_ADVICE =
  'Close other programs and run again (on a software GPU such as lavapipe the GPU work competes for the same cores; ' +
  "Mesa's LP_NUM_THREADS bounds its threads). Read medians, not means.";

// ---- GPU timestamps ----

function quantized(result: AnyResult): boolean {
  return result.device.timestamps && !result.device.timestampQuantizationDisabled;
}

/** True when every non-zero GPU duration is a multiple of the quantum (a chance of 1 in 65,536 each). */
function looksQuantized(values: readonly number[]): boolean {
  const nonZero = values.filter((v) => v > 0);
  return nonZero.length >= 8 && nonZero.every((v) => v % TIMESTAMP_QUANTUM_NS === 0);
}

/** Quantized GPU timestamps: asked for (--quantize-timestamps), or left on by Dawn despite the toggle. */
function timestampQuantization(result: AnyResult, gpuSamples: readonly number[]): QualityWarning[] {
  if (!result.device.timestamps) return [];
  const quantum = duration(TIMESTAMP_QUANTUM_NS);
  if (quantized(result)) {
    return [
      warning(
        'timestamp-quantization',
        undefined,
        'kernelGpu',
        `GPU timestamps are quantized (--quantize-timestamps): GPU times are multiples of ${quantum}, so a kernel shorter than a few of those reads as 0 or ${quantum}.`,
        'Run without --quantize-timestamps: wgprof then opens the device with disable-dawn-features=timestamp_quantization and GPU times are exact.',
      ),
    ];
  }
  if (!looksQuantized(gpuSamples)) return [];
  return [
    warning(
      'timestamp-quantization',
      undefined,
      'kernelGpu',
      `every one of ${gpuSamples.length} GPU durations is a multiple of ${quantum}: Dawn kept its timestamp quantization although wgprof asked it off.`,
      'Dawn ignores toggle names it does not know: update the webgpu package, and meanwhile read kernel (GPU) only for kernels much longer than ' +
        `${quantum}.`,
    ),
  ];
}

// ---- profile ----

/**
 * The table's vs-main ratio differs from 1 by enough to read as real (at least --max-noise), but its
 * CI includes 1. Smaller differences within the noise mislead no one, and would warn on every run.
 */
function versusMainUnclear(run: StrategyResult, advice: string, maxNoise: number): QualityWarning[] {
  const s = run.vsMain;
  if (!s || run.strategy === 'main' || s.low > 1 || s.high < 1 || Math.abs(s.estimate - 1) < maxNoise)
    return [];
  return [
    warning(
      'wide-ci',
      scenarioSubject(run),
      'total',
      `the table shows ${s.estimate.toFixed(2)}x main's speed, but its 95% CI [${s.low.toFixed(2)}, ${s.high.toFixed(2)}] includes 1: ` +
        'no difference from main is measurable.',
      `${advice} Until then, read it as main's speed.`,
    ),
  ];
}

/** Three significant digits, as the tables print a median: two medians that print alike show no difference. */
const shown = (ns: number): number => Number(ns.toPrecision(3));

/**
 * A phase whose median differs from main's in the table by enough to read as real (at least
 * --max-noise of main's), but by less than the two medians' CIs allow (the half-widths combined as
 * for a difference of independent estimates).
 */
function phaseDifferencesInNoise(
  run: StrategyResult,
  main: StrategyResult,
  advice: string,
  maxNoise: number,
): QualityWarning[] {
  if (run === main) return [];
  return PHASES.flatMap((phase) => {
    const s = run.summary[phase];
    const m = main.summary[phase];
    if (!s || !m || shown(s.median) === shown(m.median)) return [];
    const diff = s.median - m.median;
    if (Math.abs(diff) < maxNoise * m.median) return [];
    const noise = Math.hypot(halfWidth(s), halfWidth(m));
    if (Math.abs(diff) >= noise) return [];
    return [
      warning(
        'wide-ci',
        scenarioSubject(run),
        phase,
        `${duration(s.median)} against main's ${duration(m.median)} (${diff > 0 ? '+' : ''}${duration(diff)}) is within the noise: ` +
          `the two medians' 95% CIs allow ±${duration(noise)}.`,
        `${advice} Until then, read these two as equal.`,
      ),
    ];
  });
}

/** The first op of a worker's (or device's) life, against a warm one; names the phase that grew most. */
function slowFirstOp(run: StrategyResult): QualityWarning[] {
  const cold = run.coldSummary.total;
  const warm = run.summary.total;
  if (run.everyOpCold || !cold || !warm || warm.median <= 0) return [];
  // A worker's start-up (spawn, init) is the cold op's by design, and the cold/warm table shows it:
  // only a first op that is slow beyond it says something about the measurement.
  const startUp = (run.coldSummary.spawn?.median ?? 0) + (run.coldSummary.init?.median ?? 0);
  const times = (cold.median - startUp) / warm.median;
  if (times < SLOW_FIRST_OP) return [];
  let growth: { phase: SummaryKey; ns: number } = { phase: 'total', ns: 0 };
  for (const phase of PHASES) {
    const c = run.coldSummary[phase];
    if (phase === 'kernelGpu' || phase === 'spawn' || phase === 'init' || !c) continue;
    const ns = c.median - (run.summary[phase]?.median ?? 0);
    if (ns > growth.ns) growth = { phase, ns };
  }
  const most =
    growth.phase === 'total'
      ? ''
      : `, most of the difference in ${keyLabel(growth.phase)} (+${duration(growth.ns)})`;
  return [
    warning(
      'slow-first-op',
      scenarioSubject(run),
      'total',
      `its first op took ${duration(cold.median - startUp)}${startUp > 0 ? " besides the worker's start-up" : ''}, ${formatNumber(times)}x a warm op (${duration(warm.median)})${most}` +
        `${cold.n === 1 ? '; that is one op, with no CI' : ''}.`,
      'The tables are of warm ops and leave it out; a program that runs only a few ops per worker or device pays it every time: ' +
        'keep workers and devices alive, or run one op to warm them before the work that counts.',
    ),
  ];
}

/** main's own per-round medians, trending beyond their scatter by more than --max-noise. */
function baselineDrift(result: ProfileResult, main: StrategyResult): QualityWarning[] {
  const drift = fitDrift(roundMedians(main, result.config.chunk));
  if (!drift || !isDrift(drift, result.config.maxNoise)) return [];
  const [low, high] = drift.slopeCi;
  return [
    warning(
      'drift',
      scenarioSubject(main),
      'total',
      `its median per round moved from ${duration(drift.first)} to ${duration(drift.last)} over ${drift.rounds} rounds ` +
        `(a fitted line, ${percent(drift.change, true)} over the run; its slope's 95% CI, ${duration(low)} to ${duration(high)} per round, excludes zero): ` +
        `the baseline changed by more than the --max-noise of ${percent(result.config.maxNoise)}.`,
      'Something changed under the run (other programs, the CPU clock, power or thermal state): close other programs, let the ' +
        'machine settle and run again. Ratios to main are taken within rounds and stay fair; absolute medians blur, so compare ' +
        'them only with runs made under the same conditions.',
    ),
  ];
}

/**
 * The device's timestamps are not to blame where every scenario that distrusts them has an op
 * that returns before its GPU work ends (a GPU time longer than the op, or submits it never
 * waited for): its readings failed the span check for that, which those warnings say.
 */
function blamedOnDevice(result: ProfileResult, contradictions: readonly QualityWarning[]): QualityWarning[] {
  const untrusted = result.runs.filter((r) => r.timing && !r.timing.timestamps.trusted);
  const explained = untrusted.every((r) =>
    contradictions.some((w) => OUTLASTING.includes(w.code as ContradictionCode) && w.scenario === r.label),
  );
  return untrusted.length > 0 && explained ? [] : timingWarnings(result.runs, result.device.timestamps);
}

export function profileWarnings(result: ProfileResult): QualityWarning[] {
  const longer = runLongerAdvice(result);
  const main = result.runs.find((r) => r.strategy === 'main');
  const contradictions = opContradictions(result);
  return [
    ...contradictions,
    ...typelessModule(result),
    ...leakedBuffers(result),
    ...timestampQuantization(
      result,
      result.runs.flatMap((r) => steadySamples(r, 'kernelGpu')),
    ),
    ...result.runs.flatMap((run) => {
      const subject = scenarioSubject(run);
      const keys = Object.keys(run.summary) as SummaryKey[];
      return [
        ...tooFewSamples(
          subject,
          'total',
          run.summary.total,
          run.everyOpCold ? 'ops' : 'steady ops',
          runLongerAdvice(result, MIN_SAMPLES),
        ),
        ...noisyMedian(subject, 'total', run.summary.total, result.config.maxNoise, longer),
        ...versusMainUnclear(run, longer, result.config.maxNoise),
        ...(main ? phaseDifferencesInNoise(run, main, longer, result.config.maxNoise) : []),
        ...keys.flatMap((key) => belowTimerResolution(result, subject, key, run.summary[key])),
        ...slowFirstOp(run),
        ...outliers(
          subject,
          'total',
          steadySamples(run, 'total'),
          `${TAIL_ADVICE} \`wgprof report RESULT --format trace\` shows when the slow ones ran.`,
        ),
      ];
    }),
    ...(main ? baselineDrift(result, main) : []),
    ...isolationWarnings(result),
    ...runWarnings(result),
    ...blamedOnDevice(result, contradictions),
  ];
}

// ---- breakdown and sync ----

function rowWarnings(result: BreakdownResult | SyncResult, row: ComponentRow): QualityWarning[] {
  const subject = rowSubject(row);
  const longer = runLongerAdvice(result);
  return [
    ...tooFewSamples(subject, undefined, row.summary, 'samples', runLongerAdvice(result, MIN_SAMPLES)),
    ...noisyMedian(subject, undefined, row.summary, result.config.maxNoise, longer),
    ...belowTimerResolution(result, subject, undefined, row.summary),
    ...outliers(subject, undefined, row.samplesNs, TAIL_ADVICE),
  ];
}

/** An attributed component smaller than the CIs of the two worker rows it is the difference of. */
function attributionInNoise(result: BreakdownResult): QualityWarning[] {
  const row = (id: string): ComponentRow | undefined => result.rows.find((r) => r.id === id);
  let previous: Summary | undefined;
  return attributionSteps(`worker.create.${result.config.create}`).flatMap(([component, id]) => {
    const current = row(id);
    const before = previous;
    previous = current?.summary;
    if (!current?.summary || !before) return [];
    const diff = current.summary.median - before.median;
    const noise = Math.hypot(halfWidth(current.summary), halfWidth(before));
    if (Math.abs(diff) >= noise) return [];
    return [
      warning(
        'wide-ci',
        rowSubject(current),
        undefined,
        `the attribution gives ${component} ${duration(diff)}, the difference from the row above, but the two rows' 95% CIs allow ±${duration(noise)}: ` +
          'that share is within the noise.',
        `${runLongerAdvice(result)} Until then, read that component as too small to measure here.`,
      ),
    ];
  });
}

export function breakdownWarnings(result: BreakdownResult): QualityWarning[] {
  return [...result.rows.flatMap((row) => rowWarnings(result, row)), ...attributionInNoise(result)];
}

export function syncWarnings(result: SyncResult): QualityWarning[] {
  const rows = [...result.floor, ...result.completion, ...result.batching.rows];
  const o = result.overhead;
  const overhead: Subject = { key: { row: 'overhead' }, name: 'sync overhead' };
  return [
    ...timestampQuantization(result, []),
    ...rows.flatMap((row) => rowWarnings(result, row)),
    ...('unavailable' in o
      ? []
      : [
          ...tooFewSamples(overhead, 'sync', o.sync, 'ops', runLongerAdvice(result, MIN_SAMPLES)),
          ...belowTimerResolution(result, overhead, 'sync', o.sync),
          ...belowTimerResolution(result, overhead, 'kernelGpu', o.gpu),
        ]),
  ];
}

/**
 * Everything that makes a run's numbers less trustworthy than its tables look, each with what to
 * do about it, in a fixed order (by code, then as found).
 */
export function qualityWarnings(result: AnyResult): QualityWarning[] {
  const found =
    result.kind === 'profile'
      ? profileWarnings(result)
      : result.kind === 'breakdown'
        ? breakdownWarnings(result)
        : syncWarnings(result);
  // Array.prototype.sort is stable: within a code, the warnings keep the order they were found in.
  return found.sort((a, b) => WARNING_CODES.indexOf(a.code) - WARNING_CODES.indexOf(b.code));
}
