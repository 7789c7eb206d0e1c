/**
 * Where another run of the same profile would put its estimate, from this run's CI. A 95% CI
 * holds the true value 95% of the time, but two runs' estimates differ by the difference of two
 * errors, sqrt(2) times either one: a calibrated CI holds a rerun's estimate only about 83% of the
 * time (with normal errors; 89-91% with the few replicates' t quantile), which is what a user
 * comparing two runs finds. The rerun interval reaches sqrt(2) times as far on each side, so that
 * it holds a rerun's estimate at the CI's own level.
 *
 * Ratios and times spread by factors, so for a positive estimate and CI the reach is taken on the
 * log scale (as the CI's t widening is: hierarchical-bootstrap.ts); otherwise on the values.
 */
export function rerunInterval(ci: { estimate: number; low: number; high: number }): {
  low: number;
  high: number;
} {
  const { estimate, low, high } = ci;
  if (estimate > 0 && low > 0 && high > 0) {
    return {
      low: estimate * (low / estimate) ** Math.SQRT2,
      high: estimate * (high / estimate) ** Math.SQRT2,
    };
  }
  return { low: estimate - Math.SQRT2 * (estimate - low), high: estimate + Math.SQRT2 * (high - estimate) };
}
