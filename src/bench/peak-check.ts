/**
 * Row 14's arithmetic (issue 25): `wgprof peak`'s copy bandwidth against plain CPU copies of the
 * same size, and the built-in kernels' shares of the peak. Pure functions over figures; the bench
 * row in rows/peak.ts runs the measurements.
 */
import type { StrategyResult } from '../results/result-types.js';
import type { Rate } from '../work/op-rates.js';
import type { Figure } from './bench-types.js';

/**
 * Bytes moved per second by each copy of `bytes` bytes that took `ns`: read + written, 2 x bytes,
 * as `wgprof peak` counts its copies. A copy that took no time has no rate and is left out.
 */
export function copyRates(bytes: number, ns: readonly number[]): number[] {
  return ns.filter((t) => t > 0).map((t) => (2 * bytes * 1e9) / t);
}

/**
 * a / b with the widest CI the two CIs allow (a's low over b's high, a's high over b's low), for
 * two figures measured apart whose samples are not both at hand. Unit 'x'.
 */
export function intervalRatio(a: Rate, b: Rate): Figure {
  return {
    value: a.value / b.value,
    unit: 'x',
    low: Math.min(a.low, a.value) / Math.max(b.high, b.value),
    high: Math.max(a.high, a.value) / Math.max(Math.min(b.low, b.value), Number.MIN_VALUE),
  };
}

/** One share of the peak a kernel reported: of bandwidth or of f32 FLOP/s. */
export interface KernelShare {
  readonly kernel: string;
  readonly limit: 'bandwidth' | 'flops';
  readonly share: Rate;
}

/** The kernel's shares of the peak (`rates.ofPeak.kernel`) of a profile's scenario, each that it has. */
export function kernelShares(kernel: string, run: Pick<StrategyResult, 'rates'>): KernelShare[] {
  const ofPeak = run.rates?.ofPeak?.kernel;
  if (!ofPeak) return [];
  const shares: KernelShare[] = [];
  if (ofPeak.bandwidth) shares.push({ kernel, limit: 'bandwidth', share: ofPeak.bandwidth });
  if (ofPeak.flops) shares.push({ kernel, limit: 'flops', share: ofPeak.flops });
  return shares;
}

/**
 * The share whose CI's low end is highest: the one nearest to claiming more than the device can
 * do (a low end above 1 says the work or the peak is wrong). Undefined for no shares.
 */
export function highestLowShare(shares: readonly KernelShare[]): KernelShare | undefined {
  let highest: KernelShare | undefined;
  for (const s of shares) if (!highest || s.share.low > highest.share.low) highest = s;
  return highest;
}
