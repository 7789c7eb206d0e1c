import { deviceOptions } from '../config/device-options.js';
import { kernelConfig, type ProfileConfig, type RunConfig } from '../config/profile-config.js';
import { openDevice, type GpuContext } from '../device/open-device.js';
import { runBreakdown } from '../experiments/run-breakdown.js';
import { runSync } from '../experiments/run-sync.js';
import { measureRecordingCost } from '../measurement/recording-cost.js';
import { runRounds, type RoundsOutcome } from '../measurement/rounds.js';
import { stopRequested } from '../measurement/stop-request.js';
import { steadyValues } from '../measurement/steady-state.js';
import { MIN_REPS, REPS_PER_CHUNK } from '../measurement/stopping-rule.js';
import { OpRunner } from '../measurement/op-runner.js';
import { RecordStore } from '../measurement/record-store.js';
import { openOp } from '../op/op-kinds.js';
import { corePhases, timesGpu } from '../op/phases.js';
import { readyRun } from '../op/preflight.js';
import { collectEnvironment, type Environment } from '../results/environment.js';
import type { AnyResult } from '../results/result-types.js';
import { median } from '../statistics/index.js';
import { createStrategy } from '../strategies/registry.js';
import type { StrategyContext } from '../strategies/strategy.js';
import { assembleBreakdown, assembleSync, strategyResult } from './assemble-result.js';
import type { MeasuringRequest, ProbeRun, Progress, ReplicateRequest, ReplicateRun } from './protocol.js';

/**
 * What the measuring process does with a breakdown or sync request, or with one replicate of a
 * profile's scenario: open the process's device, plan the op on it, measure, close everything,
 * and assemble what it measured.
 */
export function measure(request: MeasuringRequest, onProgress: (p: Progress) => void): Promise<AnyResult> {
  if (request.type === 'profile')
    throw new Error(
      'a profile runs as replicates, one measuring process per scenario (runner/replicated-profile.ts)',
    );
  return experiments(request, onProgress);
}

/** Opens the run's device and plans its op on it; the device is closed if planning fails. */
async function openPlanned(given: ProfileConfig): Promise<{ gpu: GpuContext; config: RunConfig }> {
  const gpu = await openDevice(deviceOptions(given));
  try {
    return { gpu, config: await readyRun(gpu, given) };
  } catch (error) {
    gpu.close();
    throw error;
  }
}

/**
 * The machine, with this process's clock and the per-op cost of recording measured now (about
 * 10 ms, before any GPU work): the floor below which a run's differences mean nothing.
 */
async function measuredEnvironment(): Promise<Environment> {
  const recording = await measureRecordingCost();
  return { ...collectEnvironment(), recordingCostNs: recording.addedNs };
}

/**
 * One replicate of one scenario, in this process alone: the interference probe on this
 * process's device, then the scenario's warm-up and chunks until its share of the run is done.
 */
export async function measureReplicate(
  request: ReplicateRequest,
  onProgress: (p: Progress) => void,
): Promise<ReplicateRun> {
  const origin = process.hrtime.bigint();
  const { gpu, config } = await openPlanned(request.config);
  const context = { config, origin, gpu };
  const total = request.rule.count ?? 0;
  let measured: ReplicateRun;
  try {
    const probe = request.probeOps > 0 ? await runProbe(context, request.probeOps) : undefined;
    const strategy = createStrategy(request.scenario, context);
    let rounds: RoundsOutcome;
    const startedAt = Date.now();
    let startMs = 0;
    try {
      onProgress({ label: `starting ${request.scenario.label}`, done: 0, total });
      if (!stopRequested()) await strategy.start(request.warmupUntilMs);
      startMs = Date.now() - startedAt;
      // The budget counts the start: a warm-up that used it up leaves the rounds one chunk.
      const rule = { ...request.rule, timeBudgetMs: Math.max(0, request.rule.timeBudgetMs - startMs) };
      rounds = await runRounds(
        [strategy],
        rule,
        (label, round, done) => {
          onProgress({ label: `${label} (chunk ${round})`, done, total });
        },
        stopRequested,
      );
    } finally {
      await strategy.close();
    }
    measured = {
      device: gpu.info,
      config,
      run: strategyResult(strategy, { config, device: gpu.info }),
      rounds,
      ...(probe ? { probe } : {}),
      start: { ms: startMs, warmup: strategy.warmup ?? { ops: config.warmup, cutShort: false } },
    };
  } finally {
    gpu.close();
  }
  // The run's first process describes the machine (the others would measure it again for
  // nothing), after its device is closed: the recording-cost loop allocates tens of thousands of
  // records, and nothing wgprof does for itself is to come before a scenario's ops in their
  // process, nor leave its garbage to be collected during them.
  return request.describeMachine ? { environment: await measuredEnvironment(), ...measured } : measured;
}

/**
 * The same few main-thread ops at the start of every measuring process, before its scenario:
 * what they take tells whether the process before this one left the machine slower. They are
 * wgprof's, not the scenario's: an injected fault does not count them.
 */
async function runProbe({ gpu, config, origin }: StrategyContext, ops: number): Promise<ProbeRun> {
  const runner = new OpRunner(gpu, await openOp(gpu, config), {
    timeoutMs: config.opTimeoutMs,
    injectFaults: false,
    ...(config.gpuTime ? { gpuTime: config.gpuTime } : {}),
  });
  const store = new RecordStore(corePhases(timesGpu(gpu.info, config), config.readback), origin, ops);
  store.everyOpTimed = config.gpuTime?.mode === 'every';
  try {
    await runner.run(ops, Math.min(2, config.warmup), store);
  } finally {
    await runner.dispose();
  }
  const totals = steadyValues(store.totalsNs, store);
  return { ops: totals.length, medianNs: totals.length > 0 ? median(totals) : NaN };
}

/** breakdown and sync: repeated experiments on a device opened here, and in fresh workers. */
async function experiments(request: MeasuringRequest, onProgress: (p: Progress) => void): Promise<AnyResult> {
  const environment = await measuredEnvironment();
  const { gpu, config } = await openPlanned(request.config);
  const rule = {
    ...(config.ops === undefined ? {} : { count: config.ops }),
    minCount: MIN_REPS,
    maxNoise: config.maxNoise,
    timeBudgetMs: config.timeBudgetMs,
    chunk: REPS_PER_CHUNK,
  };
  const onRound = (done: number): void => {
    onProgress({ label: request.type, done, total: config.ops ?? 0 });
  };
  const run = { command: request.command, environment, device: gpu.info, config };
  // A device lost mid-run ends nothing early here, but is named: the CLI then exits 5, as for a
  // profile, with what was measured written.
  const lost = (): { deviceLost?: string } =>
    gpu.lost
      ? {
          deviceLost:
            gpu.lost.reason === 'stuck'
              ? `stuck: ${gpu.lost.message}`
              : `${gpu.lost.reason}: ${gpu.lost.message}`,
        }
      : {};
  try {
    return request.type === 'breakdown'
      ? assembleBreakdown(run, { ...(await runBreakdown(gpu, config, rule, onRound)), ...lost() })
      : assembleSync(run, { ...(await runSync(gpu, kernelConfig(config), rule, onRound)), ...lost() });
  } finally {
    gpu.close();
  }
}
