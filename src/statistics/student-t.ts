/**
 * Student's t distribution: cumulative distribution through the regularized incomplete beta
 * function, and its quantile by bisection on that (closed forms for 1 and 2 degrees of freedom,
 * the normal quantile with a Cornish–Fisher correction beyond 1e7, and the normal at infinity).
 */
import { regularizedIncompleteBeta } from './incomplete-beta.js';
import { normalQuantile } from './normal.js';

function checkDf(df: number, caller: string): void {
  if (!(df > 0)) throw new RangeError(`${caller}: degrees of freedom must be positive, got ${df}`);
}

/** P(T > t) for t >= 0: half of I_{df/(df+t²)}(df/2, 1/2). */
function upperTail(t: number, df: number): number {
  return 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * P(T <= t) for T ~ Student t with df degrees of freedom.
 *
 * @param t any number.
 * @param df positive, finite degrees of freedom (need not be an integer).
 */
export function studentTCdf(t: number, df: number): number {
  checkDf(df, 'studentTCdf');
  if (!Number.isFinite(df)) throw new RangeError('studentTCdf: degrees of freedom must be finite');
  if (Number.isNaN(t)) throw new RangeError('studentTCdf: t is NaN');
  return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
}

/**
 * The quantile t such that P(T <= t) = p for T ~ Student t with df degrees of freedom, e.g.
 * studentTQuantile(0.975, 5) = 2.5706 (the 95% two-sided critical value). Accurate to about 1e-12
 * relative for finite df up to 1e7, and to the normal quantile's 1e-9 beyond.
 *
 * @param p probability in (0, 1).
 * @param df positive degrees of freedom, Infinity allowed (gives the normal quantile).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  checkDf(df, 'studentTQuantile');
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  if (df > 1e7) {
    const z3 = z * z * z;
    return z + (z3 + z) / (4 * df) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * df * df);
  }
  const q = 1 - p;
  let low = 0;
  let high = Math.max(1, z);
  while (upperTail(high, df) > q) {
    low = high;
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-14 * high; i++) {
    const mid = 0.5 * (low + high);
    if (upperTail(mid, df) > q) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}
