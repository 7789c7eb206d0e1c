/**
 * Ordinary least squares fit of a straight line, with t-based confidence intervals.
 */
import { studentTQuantile } from './student-t.js';

/** A fitted line y = intercept + slope·x. */
export interface LineFit {
  /** y at x = 0, in the unit of y. */
  readonly intercept: number;
  /** Change of y per unit of x (unit of y / unit of x). */
  readonly slope: number;
  /** Coefficient of determination 1 − SSE/SST in [0, 1]; 1 when every y is equal (exact fit). */
  readonly rSquared: number;
  readonly n: number;
  /** Confidence interval of the intercept at `level`. */
  readonly interceptCi: readonly [number, number];
  /** Confidence interval of the slope at `level`. */
  readonly slopeCi: readonly [number, number];
  /** sqrt(SSE / (n − 2)), in the unit of y. */
  readonly residualStdError: number;
  /** Two-sided confidence level of the intervals, e.g. 0.95. */
  readonly level: number;
}

/** Options of {@link fitLine}. */
export interface FitLineOptions {
  /** Two-sided confidence level in (0, 1); default 0.95. */
  readonly level?: number;
}

function finiteAt(values: ArrayLike<number>, i: number, name: string): number {
  const value = values[i] ?? NaN;
  if (!Number.isFinite(value)) throw new RangeError(`fitLine: ${name}[${i}] is not finite (${value})`);
  return value;
}

/**
 * Ordinary least squares y = intercept + slope·x (two-pass, centred sums). Confidence intervals are
 * estimate ± t(1 − α/2, n − 2)·SE, with SE(slope) = s/√Sxx and SE(intercept) = s·√(1/n + x̄²/Sxx),
 * s the residual standard error and t the Student t quantile ({@link studentTQuantile}).
 *
 * @param xs predictor values (any unit), same length as ys.
 * @param ys response values (any unit).
 * @param options level (default 0.95).
 * @throws RangeError when lengths differ, n < 3, all x are equal, or a value is not finite.
 */
export function fitLine(xs: ArrayLike<number>, ys: ArrayLike<number>, options: FitLineOptions = {}): LineFit {
  const { level = 0.95 } = options;
  if (!(level > 0 && level < 1)) throw new RangeError(`fitLine: level must be in (0, 1), got ${level}`);
  const n = xs.length;
  if (ys.length !== n) throw new RangeError(`fitLine: ${n} x values but ${ys.length} y values`);
  if (n < 3) throw new RangeError(`fitLine: need at least 3 points for intervals, got ${n}`);
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += finiteAt(xs, i, 'xs');
    sumY += finiteAt(ys, i, 'ys');
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? NaN) - meanX;
    const dy = (ys[i] ?? NaN) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('fitLine: all x values are equal; the slope is undefined');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const residual = (ys[i] ?? NaN) - (intercept + slope * (xs[i] ?? NaN));
    sse += residual * residual;
  }
  const rSquared = syy === 0 ? 1 : Math.min(1, Math.max(0, 1 - sse / syy));
  const residualStdError = Math.sqrt(sse / (n - 2));
  const t = studentTQuantile(1 - (1 - level) / 2, n - 2);
  const slopeHalf = (t * residualStdError) / Math.sqrt(sxx);
  const interceptHalf = t * residualStdError * Math.sqrt(1 / n + (meanX * meanX) / sxx);
  return {
    intercept,
    slope,
    rSquared,
    n,
    interceptCi: [intercept - interceptHalf, intercept + interceptHalf],
    slopeCi: [slope - slopeHalf, slope + slopeHalf],
    residualStdError,
    level,
  };
}
