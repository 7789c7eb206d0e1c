import { formatNumber } from './units.js';

/**
 * Rates as people read them: bytes and FLOP per second with a decimal prefix (GB/s, GFLOP/s, as
 * vendors and NVBench state them), three significant digits.
 */

/** What a rate counts per second: bytes, floating-point operations, or integer ones. */
export type RatePer = 'B/s' | 'FLOP/s' | 'OP/s';

/** A unit of rate for a whole line or table, chosen once so every figure of it reads alike. */
export interface RateUnit {
  /** "GB/s", "TFLOP/s". */
  readonly label: string;
  /** Per second in one of it: 1e9 for GB/s. */
  readonly scale: number;
}

const PREFIXES: readonly [string, number][] = [
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
  ['', 1],
];

/** The largest prefix in which `typical` is at least 1 (5.2e9 B/s: GB/s). */
export function rateUnit(typical: number, unit: RatePer): RateUnit {
  const [prefix, scale] = PREFIXES.find(([, s]) => Math.abs(typical) >= s) ?? ['', 1];
  return { label: `${prefix}${unit}`, scale };
}

/** A rate in `unit`, without the unit: "44.2". */
export function formatRateIn(value: number, unit: RateUnit): string {
  return formatNumber(value / unit.scale);
}

/** A rate in its own unit: "44.2 GB/s". */
export function formatRate(value: number, unit: RatePer): string {
  const u = rateUnit(value, unit);
  return `${formatRateIn(value, u)} ${u.label}`;
}

/** "71%", "4.2%", "0.31%": a share, three significant digits at most. */
export function formatShare(fraction: number): string {
  if (!Number.isFinite(fraction)) return '-';
  const p = fraction * 100;
  return `${p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toPrecision(2)}%`;
}
