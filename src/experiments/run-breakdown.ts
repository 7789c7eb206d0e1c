import type { RunConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { stopRequested } from '../measurement/stop-request.js';
import type { StoppingRule } from '../measurement/stopping-rule.js';
import {
  attributeFreshOp,
  attributionSteps,
  moduleAttributionSteps,
  type AttributionItem,
} from './attribution.js';
import { breakdownExperiments } from './breakdown-suite.js';
import { componentRow, repeatExperiments, type ComponentRow, type RepeatStop } from './experiment.js';

/** What `wgprof breakdown` measured, before it is wrapped as a result. */
export interface BreakdownMeasurement {
  readonly repeat: { readonly stoppedBy: RepeatStop; readonly elapsedMs: number };
  /** Worker rows (cumulative: each does one more step of a fresh-worker op), then main-thread rows. */
  readonly rows: readonly ComponentRow[];
  /** The steps each worker row's worker reported doing. */
  readonly steps: Readonly<Record<string, readonly string[]>>;
  readonly attribution: readonly AttributionItem[];
  /** Set when the run's device was lost (or stopped answering) during the measurement. */
  readonly deviceLost?: string;
}

/** `wgprof breakdown`: every component measured on its own, then the fresh-worker op attributed. */
export async function runBreakdown(
  gpu: GpuContext,
  config: RunConfig,
  rule: Omit<StoppingRule, 'unit'>,
  onRound?: (done: number) => void,
): Promise<BreakdownMeasurement> {
  const suite = await breakdownExperiments(gpu, config);
  try {
    const outcome = await repeatExperiments(suite.experiments, rule, onRound, stopRequested);
    const rows = outcome.results.map(componentRow);
    const steps: Record<string, string[]> = {};
    for (const w of suite.workers) steps[w.id] = w.stepsSeen[0] ?? [];
    return {
      repeat: { stoppedBy: outcome.stoppedBy, elapsedMs: outcome.elapsedMs },
      rows,
      steps,
      attribution: attributeFreshOp(
        rows,
        config.op ? moduleAttributionSteps() : attributionSteps(`worker.create.${config.create}`),
      ),
    };
  } finally {
    await suite.dispose();
  }
}
