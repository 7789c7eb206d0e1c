import type { ProfileConfig } from '../config/profile-config.js';
import { isStuck, type GpuContext } from '../device/open-device.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { runOpLoop } from '../measurement/op-loop.js';
import { RecordStore } from '../measurement/record-store.js';
import { steadyValues } from '../measurement/run-summary.js';
import { GpuTimer } from '../op/gpu-timer.js';
import { setUpOp } from '../op/op-setup.js';
import {
  envelope,
  type RunContext,
  type BatchRow,
  type CompletionRow,
  type SyncOverhead,
  type SyncResult,
} from '../results/result-types.js';
import { fitLine, summarize } from '../statistics/index.js';
import { stopRequested } from '../runner/stop-request.js';
import { componentRow, repeatExperiments, type RepeatPlan } from './experiment.js';
import { syncSuite } from './sync-suite.js';

/** Below this R squared, the batching fit is flagged: a line does not describe the costs. */
export const MIN_R_SQUARED = 0.9;

/**
 * Fits time per sync = s + c * k through each batch size's median (a few slow outliers, common
 * on a busy machine, would drag a fit through every sample); flags a poor fit with its reason.
 */
export function fitBatching(rows: readonly BatchRow[]): SyncResult['batching'] {
  const measured = rows.filter((r) => r.summary !== undefined);
  const xs = measured.map((r) => r.k);
  const ys = measured.map((r) => r.summary?.median ?? NaN);
  if (new Set(xs).size < 3) return { rows, poorFit: 'fewer than three batch sizes measured: no line to fit' };
  const fit = fitLine(xs, ys);
  const problems: string[] = [];
  if (fit.rSquared < MIN_R_SQUARED)
    problems.push(`R squared is ${fit.rSquared.toFixed(3)}, below ${MIN_R_SQUARED}`);
  if (fit.interceptCi[0] < 0) problems.push('the fixed cost is not distinguishable from zero');
  return problems.length > 0 ? { rows, fit, poorFit: problems.join('; ') } : { rows, fit };
}

/** sync minus the GPU's busy time, per op of the configured kernel on the main thread. */
async function syncOverhead(gpu: GpuContext, config: ProfileConfig, ops: number): Promise<SyncOverhead> {
  if (!gpu.info.timestamps)
    return { unavailable: 'this adapter has no timestamp-query, so the GPU time is unknown' };
  const setup = await setUpOp(gpu, KernelRegistry.forDevice(gpu.device), config);
  const timer = new GpuTimer(gpu.device);
  const store = new RecordStore(['creation', 'kernelCpu', 'kernelGpu', 'sync'], process.hrtime.bigint());
  try {
    await runOpLoop(
      setup.op,
      gpu,
      { ops, warmup: config.warmup, timeoutMs: config.opTimeoutMs },
      store,
      timer,
    );
  } finally {
    if (!isStuck(gpu)) {
      timer.destroy();
      setup.dispose();
    }
  }
  const sync = store.column('sync');
  const gpuNs = store.column('kernelGpu');
  const diff = steadyValues(
    sync.map((s, i) => s - (gpuNs[i] ?? NaN)),
    store,
  );
  if (diff.length === 0) return { unavailable: 'no op recorded both a sync time and a GPU time' };
  return {
    ops: diff.length,
    sync: summarize(steadyValues(sync, store)),
    gpu: summarize(steadyValues(gpuNs, store)),
    overhead: summarize(diff),
  };
}

/** `wgprof sync`: the floor, completion by each method over sizes, batching, and sync overhead. */
export async function runSync(
  gpu: GpuContext,
  config: ProfileConfig,
  plan: RepeatPlan,
  run: Pick<RunContext, 'environment' | 'command'>,
  onRound?: (done: number) => void,
): Promise<SyncResult> {
  const suite = await syncSuite(gpu, config);
  try {
    const outcome = await repeatExperiments(
      [...suite.floor, ...suite.completion, ...suite.batching],
      plan,
      onRound,
      stopRequested,
    );
    const rowOf = (id: string) => {
      const found = outcome.results.find((r) => r.experiment.id === id);
      if (!found) throw new Error(`experiment ${id} did not run`);
      return componentRow(found);
    };
    const completion: CompletionRow[] = suite.completion.map((e) => ({
      ...rowOf(e.id),
      bytes: e.bytes,
      method: e.method,
    }));
    const batchRows: BatchRow[] = suite.batching.map((e) => ({ ...rowOf(e.id), k: e.k }));
    return {
      ...envelope('sync', { ...run, device: gpu.info, config }),
      repeat: { stoppedBy: outcome.stoppedBy, elapsedMs: outcome.elapsedMs },
      floor: suite.floor.map((e) => rowOf(e.id)),
      completion,
      batching: fitBatching(batchRows),
      overhead: await syncOverhead(gpu, config, Math.max(plan.reps ?? 0, 100)),
    };
  } finally {
    suite.dispose();
  }
}
