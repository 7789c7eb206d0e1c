import type { PlannedConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import type { LineFit, Summary } from '../statistics/index.js';
import { OpRunner } from '../measurement/op-runner.js';
import { RecordStore } from '../measurement/record-store.js';
import { selectValues, steadyValues } from '../measurement/steady-state.js';
import { DEFAULT_GPU_TIME } from '../config/gpu-time.js';
import { opTiming } from '../measurement/op-timing.js';
import type { TimingSummary } from '../measurement/timing-cost.js';
import { stopRequested } from '../measurement/stop-request.js';
import type { StoppingRule } from '../measurement/stopping-rule.js';
import { openOp } from '../op/op-kinds.js';
import { fitLine, summarize } from '../statistics/index.js';
import { componentRow, repeatExperiments, type ComponentRow, type RepeatStop } from './experiment.js';
import { syncSuite, type CompletionMethod } from './sync-suite.js';

export type CompletionRow = ComponentRow & { readonly bytes: number; readonly method: CompletionMethod };
export type BatchRow = ComponentRow & { readonly k: number };

export interface SyncBatching {
  readonly rows: readonly BatchRow[];
  /** time per sync = intercept (fixed sync cost) + slope (cost per kernel) * k, through each k's median. */
  readonly fit?: LineFit;
  /** Set when the fit explains too little of the variation to be trusted, with why. */
  readonly poorFit?: string;
}

/**
 * What waiting costs beyond the GPU's own work, per op of the kernel. Its sync is of the untimed
 * ops (as the user's program waits), its GPU time of the timed ones; sync minus GPU time is taken
 * op by op on the timed ops alone (both readings of the same op), never across the two sets, and
 * the cost of timing says how much longer a timed op's sync ran.
 */
export type SyncOverhead =
  | {
      /** Timed ops behind `gpu` and `overhead`. */
      readonly ops: number;
      /** The untimed ops' sync (all ops' with --gpu-time every). */
      readonly sync: Summary;
      /** The timed ops' GPU time. */
      readonly gpu: Summary;
      /** sync - kernelGpu, per timed op. */
      readonly overhead: Summary;
      /** The timed ops' own sync, which `overhead` subtracts from (absent in older results). */
      readonly timedSync?: Summary;
      /** Which ops were timed, and what a timed op cost over an untimed one (absent in older results). */
      readonly timing?: TimingSummary;
    }
  | { readonly unavailable: string };

/** What `wgprof sync` measured, before it is wrapped as a result. */
export interface SyncMeasurement {
  readonly repeat: { readonly stoppedBy: RepeatStop; readonly elapsedMs: number };
  readonly floor: readonly ComponentRow[];
  readonly completion: readonly CompletionRow[];
  readonly batching: SyncBatching;
  /** Per op of the kernel: sync's wall time minus the GPU's busy time from timestamps. */
  readonly overhead: SyncOverhead;
  /** Set when the run's device was lost (or stopped answering) during the measurement. */
  readonly deviceLost?: string;
}

/** Below this R squared, the batching fit is flagged: a line does not describe the costs. */
export const MIN_R_SQUARED = 0.9;

/**
 * Fits time per sync = s + c * k through each batch size's median (a few slow outliers, common
 * on a busy machine, would drag a fit through every sample); flags a poor fit with its reason.
 */
export function fitBatching(rows: readonly BatchRow[]): SyncBatching {
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

/**
 * sync minus the GPU's busy time, per op of the configured kernel on the main thread; its
 * --warmup stops at `warmupUntilMs` (a Date.now() time), the end of the run's time budget.
 */
async function syncOverhead(
  gpu: GpuContext,
  config: PlannedConfig,
  ops: number,
  warmupUntilMs: number,
): Promise<SyncOverhead> {
  if (!gpu.info.timestamps)
    return { unavailable: 'this adapter has no timestamp-query, so the GPU time is unknown' };
  const plan = config.gpuTime ?? DEFAULT_GPU_TIME;
  if (plan.mode === 'none') return { unavailable: '--gpu-time none: no op was timed on the GPU' };
  const runner = new OpRunner(gpu, await openOp(gpu, config), {
    timeoutMs: config.opTimeoutMs,
    timestamps: true,
    gpuTime: plan,
  });
  const store = new RecordStore(['creation', 'kernelCpu', 'kernelGpu', 'sync'], process.hrtime.bigint());
  store.everyOpTimed = plan.mode === 'every';
  try {
    await runner.run(ops, config.warmup, store, undefined, warmupUntilMs);
  } finally {
    await runner.dispose();
  }
  const timing = opTiming(store, plan, gpu.info);
  if (!timing.timestamps.trusted)
    return {
      unavailable: `this device's GPU timestamps cannot be trusted: ${timing.timestamps.reason ?? ''}`,
    };
  const sync = store.column('sync');
  const gpuNs = store.column('kernelGpu');
  // Both readings of the same op: selected as GPU-side values, so only the timed ops whose reading passed.
  const diff = selectValues(
    sync.map((s, i) => s - (gpuNs[i] ?? NaN)),
    store,
    'steady',
    'gpu',
  );
  if (diff.length === 0) return { unavailable: 'no op recorded both a sync time and a GPU time' };
  return {
    ops: diff.length,
    sync: summarize(steadyValues(sync, store)),
    gpu: summarize(selectValues(gpuNs, store, 'steady', 'gpu')),
    overhead: summarize(diff),
    timedSync: summarize(selectValues(sync, store, 'steady', 'gpu')),
    timing,
  };
}

/** `wgprof sync`: the floor, completion by each method over sizes, batching, and sync overhead. */
export async function runSync(
  gpu: GpuContext,
  config: PlannedConfig,
  rule: Omit<StoppingRule, 'unit'>,
  onRound?: (done: number) => void,
): Promise<SyncMeasurement> {
  const budgetEnd = Date.now() + rule.timeBudgetMs;
  const suite = await syncSuite(gpu, config);
  try {
    const outcome = await repeatExperiments(
      [...suite.floor, ...suite.completion, ...suite.batching],
      rule,
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
      repeat: { stoppedBy: outcome.stoppedBy, elapsedMs: outcome.elapsedMs },
      floor: suite.floor.map((e) => rowOf(e.id)),
      completion,
      batching: fitBatching(batchRows),
      overhead: await syncOverhead(gpu, config, Math.max(rule.count ?? 0, 100), budgetEnd),
    };
  } finally {
    suite.dispose();
  }
}
