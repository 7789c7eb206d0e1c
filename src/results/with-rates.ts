import type { ProfileResult } from './result-types.js';
import { hasWork } from '../work/op-work.js';
import { scenarioRates } from '../work/op-rates.js';
import type { PeakReference } from '../work/peak-reference.js';

/**
 * The profile with each scenario's rates (its op's work over its GPU time and its total), and
 * their shares of `peak` where one is given. A profile whose op declares no work is returned
 * as it is: it has times and no rate.
 */
export function withRates(result: ProfileResult, peak?: PeakReference): ProfileResult {
  const work = result.config.work;
  if (!hasWork(work)) return result;
  const f32 = result.config.dtype === 'f32';
  const runs = result.runs.map((run) => {
    const rates = scenarioRates(work, run.summary, peak, f32);
    return rates ? { ...run, rates } : run;
  });
  return { ...result, runs, ...(peak ? { peak } : {}) };
}
