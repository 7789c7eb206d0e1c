/** Statistics on arrays of numbers: quantiles, summaries, bootstrap intervals, line fits. */
export { median, quantile, quantileSorted, sortedCopy } from './quantiles.js';
export { summarize, type Summary, type SummarizeOptions } from './summary.js';
export {
  bootstrapMedianCi,
  bootstrapRatioCi,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
  EXACT_BOOTSTRAP_ABOVE,
  type BootstrapCi,
  type BootstrapOptions,
  type MedianCiOptions,
  type RatioCi,
  type RatioCiOptions,
} from './bootstrap.js';
export { createRng, createRngFromState, DEFAULT_SEED, sampleBeta, sampleGamma, type Rng } from './random.js';
export {
  hierarchicalDifferenceCi,
  hierarchicalMedianCi,
  hierarchicalRatioCi,
  type HierarchicalCi,
} from './hierarchical-bootstrap.js';
export { rerunInterval } from './rerun-interval.js';
export { fitLine, type FitLineOptions, type LineFit } from './regression.js';
export { studentTCdf, studentTQuantile } from './student-t.js';
export { erfc, normalCdf, normalQuantile, twoSidedNormalP } from './normal.js';
export { farOutShare, type FarOut } from './outliers.js';
