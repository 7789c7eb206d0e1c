import type { ProfileConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import type { Environment } from '../results/environment.js';
import { RESULT_SCHEMA, RESULT_VERSION, type BreakdownResult } from '../results/result-types.js';
import { attributeFreshOp } from './attribution.js';
import { breakdownExperiments } from './breakdown-suite.js';
import { componentRow, repeatExperiments, type RepeatPlan } from './experiment.js';

/** `wgprof breakdown`: every component measured on its own, then the fresh-worker op attributed. */
export async function runBreakdown(
  gpu: GpuContext,
  config: ProfileConfig,
  plan: RepeatPlan,
  envelope: { environment: Environment; command: readonly string[] },
  onRound?: (done: number) => void,
): Promise<BreakdownResult> {
  const suite = await breakdownExperiments(gpu, config);
  try {
    const outcome = await repeatExperiments(suite.experiments, plan, onRound);
    const rows = outcome.results.map(componentRow);
    const steps: Record<string, string[]> = {};
    for (const w of suite.workers) steps[w.id] = w.stepsSeen[0] ?? [];
    return {
      schema: RESULT_SCHEMA,
      version: RESULT_VERSION,
      kind: 'breakdown',
      createdAt: new Date().toISOString(),
      command: envelope.command,
      environment: envelope.environment,
      device: gpu.info,
      config,
      nativeMessages: [],
      repeat: { stoppedBy: outcome.stoppedBy, elapsedMs: outcome.elapsedMs },
      rows,
      steps,
      attribution: attributeFreshOp(rows, `worker.create.${config.create}`),
    };
  } finally {
    suite.dispose();
  }
}
