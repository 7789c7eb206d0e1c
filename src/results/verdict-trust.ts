import type { StrategyResult, WarningCode } from './result-types.js';

/**
 * The codes and words of an op that contradicts itself (quality/op-contradictions.ts finds them),
 * and what they mean for a scenario's verdict: here, beside the result's types, so that the
 * reports read a result's verdict marks without importing the checks.
 */

/** The codes of the checks here, in the order they are found; each is a warning of its own. */
export const CONTRADICTION_CODES = [
  'gpu-longer-than-op',
  'submits-not-waited',
  'rate-below-op-time',
  'cpu-beyond-wall',
] as const satisfies readonly WarningCode[];
export type ContradictionCode = (typeof CONTRADICTION_CODES)[number];

/**
 * The contradictions that explain GPU readings longer than their op (which the span check left
 * out, and which would otherwise read as a device whose timestamps cannot be trusted).
 */
export const OUTLASTING: readonly ContradictionCode[] = ['gpu-longer-than-op', 'submits-not-waited'];

/** True when `run`'s own op (not only main's) contradicts itself: its readings are the op's fault. */
export function ownContradiction(run: StrategyResult): boolean {
  const u = run.verdictUntrusted;
  return (
    u !== undefined &&
    u.scenarios.includes(run.label) &&
    u.codes.some((c) => OUTLASTING.includes(c as ContradictionCode))
  );
}

/** The op's defects in a few words each, for a verdict or a one-line warning. */
export const CONTRADICTION_WORDS: Readonly<Record<ContradictionCode, string>> = {
  'gpu-longer-than-op': 'GPU time longer than the op',
  'submits-not-waited': 'submits never waited for',
  'rate-below-op-time': 'ops/s far below its time per op',
  'cpu-beyond-wall': 'more CPU than the cores give',
};
