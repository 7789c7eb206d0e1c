/**
 * Isolation across runs (issue 12, item 1): does main measure the same in the full default set
 * as alone? Pure arithmetic over alternating pairs of runs; the bench row in rows/isolation.ts
 * runs them. Each pair is one `--strategy main` run and one full-set run side by side, so the
 * machine's drift (a process's figures move by tens of percent over seconds here) lands on both
 * sides of a pair alike, and the median of the pairs' own ratios is what the arrangement does.
 */
import type { ProfileResult } from '../results/result-types.js';
import { median } from '../statistics/index.js';
import { pairedRatio, type PairedRatio } from './paired-ratio.js';

export const ISOLATION_PHASES = ['creation', 'kernelCpu', 'kernelGpu', 'sync', 'total'] as const;
export type IsolationPhase = (typeof ISOLATION_PHASES)[number];

/** Main's figures in one run: its pooled phase medians and each replicate's median total, ns. */
export interface MainFigures {
  readonly medianNs: Partial<Record<IsolationPhase, number>>;
  readonly replicateTotalsNs: readonly number[];
}

export interface IsolationPair {
  /** Which of the two ran first (they alternate from pair to pair). */
  readonly first: 'alone' | 'set';
  readonly alone: MainFigures;
  readonly set: MainFigures;
}

/** Main's figures in a profile result; undefined when the run has no main. */
export function mainFigures(result: Pick<ProfileResult, 'runs'>): MainFigures | undefined {
  const main = result.runs.find((run) => run.strategy === 'main');
  if (!main) return undefined;
  const medianNs: Partial<Record<IsolationPhase, number>> = {};
  for (const phase of ISOLATION_PHASES) {
    const m = main.summary[phase]?.median;
    if (m !== undefined) medianNs[phase] = m;
  }
  const replicateTotalsNs = (main.replicates ?? []).flatMap((r) =>
    r.medianNs.total === undefined ? [] : [r.medianNs.total],
  );
  return { medianNs, replicateTotalsNs };
}

/** One phase over the pairs: set / alone as a paired ratio (numerators the set's run medians). */
export interface PhaseIsolation extends PairedRatio {
  readonly phase: IsolationPhase;
  /** Medians over the pairs of each side's run median, ns. */
  readonly aloneNs: number;
  readonly setNs: number;
  /** Pairs whose ratio is within the allowance of 1. */
  readonly within: number;
}

/** One phase across the pairs; undefined when no pair has it on both sides. */
export function phaseIsolation(
  pairs: readonly IsolationPair[],
  phase: IsolationPhase,
  allowance: number,
): PhaseIsolation | undefined {
  const paired = pairedRatio(
    pairs.map((p) => p.set.medianNs[phase]),
    pairs.map((p) => p.alone.medianNs[phase]),
  );
  if (!paired) return undefined;
  return {
    phase,
    aloneNs: median(paired.denominators),
    setNs: median(paired.numerators),
    ...paired,
    within: paired.ratios.filter((r) => Math.abs(r - 1) <= allowance).length,
  };
}

/**
 * How far a ratio and its CI sit from 1, as a share of the allowance: the point's, and the CI's
 * nearest and furthest ends (0 for the nearest when the CI holds 1). The row's verdict is on the
 * point, and the CI says whether more pairs could flip it.
 */
export function deviationShare(
  ratio: { ratio: number; low: number; high: number },
  allowance: number,
): { value: number; low: number; high: number } {
  const off = (r: number): number => Math.abs(r - 1) / allowance;
  const holdsOne = ratio.low <= 1 && 1 <= ratio.high;
  return {
    value: off(ratio.ratio),
    low: holdsOne ? 0 : Math.min(off(ratio.low), off(ratio.high)),
    high: Math.max(off(ratio.low), off(ratio.high)),
  };
}
