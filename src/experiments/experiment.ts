import { summarize, type Summary } from '../statistics/index.js';

/**
 * One measured component: a named thing that `run` does once and times, in nanoseconds. Each
 * row of the breakdown and sync tables is its own experiment, repeated for a stable median;
 * rows are measured, never derived by subtraction.
 */
export interface Experiment {
  readonly id: string;
  readonly label: string;
  /** Where it runs: in a fresh worker, or on the main thread with a warm device. */
  readonly where: 'worker' | 'main';
  /** One repetition; returns its duration in ns. May also note what it did, for the record. */
  run(): Promise<number>;
}

export interface RepeatPlan {
  /** Fixed repetitions per experiment; when set, noise is not consulted. */
  readonly reps?: number;
  readonly minReps: number;
  /** Stop when every median's 95% CI half-width is below this share of it. */
  readonly maxNoise: number;
  readonly timeBudgetMs: number;
  /** Repetitions per experiment per round. */
  readonly chunk: number;
}

export interface ExperimentSamples {
  readonly experiment: Experiment;
  readonly samples: number[];
  readonly failures: string[];
}

function noise(samples: readonly number[]): number {
  if (samples.length < 2) return Number.POSITIVE_INFINITY;
  const s = summarize(samples);
  return s.median > 0 ? (s.medianCi.high - s.medianCi.low) / 2 / s.median : Number.POSITIVE_INFINITY;
}

/**
 * Repeats the experiments interleaved, a few repetitions each per round, until each has `reps`
 * samples, or every median is known to `maxNoise`, or the time budget is spent. A repetition
 * that throws is kept as a failure with its message; the others go on.
 */
export async function repeatExperiments(
  experiments: readonly Experiment[],
  plan: RepeatPlan,
  onRound?: (done: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<{
  results: ExperimentSamples[];
  stoppedBy: 'reps' | 'noise' | 'time-budget' | 'interrupted';
  elapsedMs: number;
}> {
  const started = Date.now();
  const results: ExperimentSamples[] = experiments.map((experiment) => ({
    experiment,
    samples: [],
    failures: [],
  }));
  for (;;) {
    for (const result of results) {
      const want =
        plan.reps === undefined ? plan.chunk : Math.min(plan.chunk, plan.reps - result.samples.length);
      for (let k = 0; k < want; k++) {
        if (shouldStop()) return { results, stoppedBy: 'interrupted', elapsedMs: Date.now() - started };
        try {
          result.samples.push(await result.experiment.run());
        } catch (error) {
          result.failures.push(error instanceof Error ? error.message : String(error));
          if (result.failures.length > 3 && result.samples.length === 0) break;
        }
      }
    }
    const done = Math.min(...results.map((r) => r.samples.length));
    onRound?.(done);
    const elapsedMs = Date.now() - started;
    if (
      plan.reps !== undefined &&
      results.every((r) => r.samples.length >= (plan.reps ?? 0) || r.failures.length > 3)
    ) {
      return { results, stoppedBy: 'reps', elapsedMs };
    }
    if (
      plan.reps === undefined &&
      done >= plan.minReps &&
      results.every((r) => noise(r.samples) <= plan.maxNoise)
    ) {
      return { results, stoppedBy: 'noise', elapsedMs };
    }
    if (elapsedMs >= plan.timeBudgetMs) return { results, stoppedBy: 'time-budget', elapsedMs };
  }
}

/** A row as stored and printed: the samples' summary and what it means as a rate. */
export interface ComponentRow {
  readonly id: string;
  readonly label: string;
  readonly where: 'worker' | 'main';
  readonly summary?: Summary;
  /** 1 / median: how many of these fit in a second. */
  readonly capacityPerSecond?: number;
  readonly samplesNs: readonly number[];
  readonly failures: readonly string[];
}

export function componentRow(result: ExperimentSamples): ComponentRow {
  const { experiment, samples, failures } = result;
  const summary = samples.length > 0 ? summarize(samples) : undefined;
  return {
    id: experiment.id,
    label: experiment.label,
    where: experiment.where,
    ...(summary ? { summary, capacityPerSecond: summary.median > 0 ? 1e9 / summary.median : 0 } : {}),
    samplesNs: samples,
    failures,
  };
}
