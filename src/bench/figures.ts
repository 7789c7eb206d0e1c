import { bootstrapRatioCi, summarize } from '../statistics/index.js';
import type { Figure } from './bench-types.js';

/** The median of `samples` with its bootstrap 95% CI. */
export function medianFigure(samples: ArrayLike<number>, unit: Figure['unit']): Figure {
  const s = summarize(samples);
  return { value: s.median, unit, low: s.medianCi.low, high: s.medianCi.high };
}

/** median(a) / median(b) with the bootstrap 95% CI of that ratio (both samples resampled). */
export function ratioFigure(a: ArrayLike<number>, b: ArrayLike<number>): Figure {
  const r = bootstrapRatioCi(a, b);
  return { value: r.estimate, unit: 'x', low: r.low, high: r.high };
}
