import type { ProfileConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { envelope, type RunContext, type BreakdownResult } from '../results/result-types.js';
import { attributeFreshOp } from './attribution.js';
import { breakdownExperiments } from './breakdown-suite.js';
import { stopRequested } from '../runner/stop-request.js';
import { componentRow, repeatExperiments, type RepeatPlan } from './experiment.js';

/** `wgprof breakdown`: every component measured on its own, then the fresh-worker op attributed. */
export async function runBreakdown(
  gpu: GpuContext,
  config: ProfileConfig,
  plan: RepeatPlan,
  run: Pick<RunContext, 'environment' | 'command'>,
  onRound?: (done: number) => void,
): Promise<BreakdownResult> {
  const suite = await breakdownExperiments(gpu, config);
  try {
    const outcome = await repeatExperiments(suite.experiments, plan, onRound, stopRequested);
    const rows = outcome.results.map(componentRow);
    const steps: Record<string, string[]> = {};
    for (const w of suite.workers) steps[w.id] = w.stepsSeen[0] ?? [];
    return {
      ...envelope('breakdown', { ...run, device: gpu.info, config }),
      repeat: { stoppedBy: outcome.stoppedBy, elapsedMs: outcome.elapsedMs },
      rows,
      steps,
      attribution: attributeFreshOp(rows, `worker.create.${config.create}`),
    };
  } finally {
    suite.dispose();
  }
}
