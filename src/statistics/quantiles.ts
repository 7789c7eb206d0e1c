/**
 * Quantiles by linear interpolation between closest ranks: Hyndman & Fan (1996) type 7, the default
 * of R's `quantile()` and NumPy's `method='linear'` (Excel's PERCENTILE.INC). For sorted x[0..n−1]
 * and p in [0, 1]: h = (n − 1)·p and Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 * Quantiles carry the unit of the values.
 */

function checkProbability(p: number, caller: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${caller}: p must be in [0, 1], got ${p}`);
}

/**
 * a + t·(b − a) for a <= b and t in [0, 1], clamped to [a, b] so that rounding can never step outside
 * the two values (this keeps quantiles monotone in p). Shared by every midpoint computed here, so a
 * median computed twice is bit-for-bit the same.
 */
export function lerp(a: number, b: number, t: number): number {
  const value = a + t * (b - a);
  return value < a ? a : value > b ? b : value;
}

/**
 * A sorted Float64Array copy of the values (the input is never mutated).
 *
 * @param caller name used in error messages.
 * @throws RangeError when there are no values or one of them is NaN or infinite.
 */
export function sortedCopy(values: ArrayLike<number>, caller = 'sortedCopy'): Float64Array {
  if (values.length === 0) throw new RangeError(`${caller}: no values (need at least one)`);
  const copy = new Float64Array(values);
  for (let i = 0; i < copy.length; i++) {
    const value = copy[i] ?? NaN;
    if (!Number.isFinite(value))
      throw new RangeError(`${caller}: value at index ${i} is not finite (${value})`);
  }
  return copy.sort();
}

/**
 * The type-7 quantile of values already sorted ascending (not checked: this is O(1)).
 *
 * @param sorted values sorted ascending, any unit.
 * @param p probability in [0, 1]: 0 gives the minimum, 0.5 the median, 1 the maximum.
 * @returns the quantile, in the unit of the values.
 * @throws RangeError when sorted is empty or p is outside [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted: no values (a quantile needs at least one)');
  checkProbability(p, 'quantileSorted');
  const h = (n - 1) * p;
  const low = Math.floor(h);
  const a = sorted[low] ?? NaN;
  const t = h - low;
  return t === 0 ? a : lerp(a, sorted[low + 1] ?? NaN, t);
}

/**
 * The type-7 quantile of unsorted values; sorts a copy, the input is not mutated.
 *
 * @param values any order, any unit; must be finite.
 * @param p probability in [0, 1].
 * @throws RangeError when values is empty or holds a non-finite value, or p is outside [0, 1].
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  checkProbability(p, 'quantile');
  return quantileSorted(sortedCopy(values, 'quantile'), p);
}

/**
 * The median: the type-7 quantile at p = 0.5, i.e. the middle value, or the mean of the two middle
 * values when there is an even number of them. The input is not mutated.
 *
 * @throws RangeError when values is empty or holds a non-finite value.
 */
export function median(values: ArrayLike<number>): number {
  return quantileSorted(sortedCopy(values, 'median'), 0.5);
}
