import type { BreakdownResult, ProfileResult, SyncResult } from './result-types.js';
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

/**
 * A breakdown or sync result read against this adapter's measured floors (wgprof peak): the
 * minimum round trip of a submit and of the smallest dispatch, which no op on it can go below.
 */
export function withFloors<R extends BreakdownResult | SyncResult>(result: R, peak?: PeakReference): R {
  return peak ? { ...result, peak } : result;
}
