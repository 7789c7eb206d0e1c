import {
  MAX_FAILURES_WITHOUT_SAMPLE,
  relativeNoise,
  Stopping,
  type StopReason,
  type StoppingRule,
} from '../measurement/stopping-rule.js';
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

export interface ExperimentSamples {
  readonly experiment: Experiment;
  readonly samples: number[];
  readonly failures: string[];
}

/** How repeated experiments end: by the one stopping rule, never by a lost device. */
export type RepeatStop = Exclude<StopReason, 'ops' | 'device-lost' | 'settled' | 'futile' | 'rounds'>;

/**
 * Repeats the experiments interleaved, a few repetitions each per round, until the stopping rule
 * says stop (`reps` each, every median known to --max-noise, or the time budget). A repetition
 * that throws is kept as a failure with its message; the others go on; an experiment that only
 * fails is given up after a few tries.
 */
export async function repeatExperiments(
  experiments: readonly Experiment[],
  rule: Omit<StoppingRule, 'unit'>,
  onRound?: (done: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<{ results: ExperimentSamples[]; stoppedBy: RepeatStop; elapsedMs: number }> {
  const stopping = new Stopping({ ...rule, unit: 'reps' }, shouldStop);
  const results: ExperimentSamples[] = experiments.map((experiment) => ({
    experiment,
    samples: [],
    failures: [],
  }));
  const exhausted = (r: ExperimentSamples): boolean =>
    r.samples.length === 0 && r.failures.length > MAX_FAILURES_WITHOUT_SAMPLE;
  for (;;) {
    for (const result of results) {
      const want = stopping.want(result.samples.length);
      for (let k = 0; k < want && !exhausted(result); k++) {
        if (stopping.stopRequested)
          return { results, stoppedBy: 'interrupted', elapsedMs: stopping.elapsedMs };
        try {
          result.samples.push(await result.experiment.run());
        } catch (error) {
          result.failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    onRound?.(Math.min(...results.map((r) => r.samples.length)));
    const stoppedBy = stopping.verdict(
      results.map((r) => ({
        count: r.samples.length,
        exhausted: exhausted(r),
        noise: () => relativeNoise(r.samples),
      })),
    );
    if (stoppedBy) return { results, stoppedBy: stoppedBy as RepeatStop, elapsedMs: stopping.elapsedMs };
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
