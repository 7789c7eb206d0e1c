import { deviceOptions, type PlannedConfig, type ProfileConfig } from '../config/profile-config.js';
import { openDevice, type GpuContext } from '../device/open-device.js';
import { runBreakdown } from '../experiments/run-breakdown.js';
import { runSync } from '../experiments/run-sync.js';
import { measureRecordingCost } from '../measurement/recording-cost.js';
import { runRounds, type RoundsOutcome } from '../measurement/rounds.js';
import { stopRequested } from '../measurement/stop-request.js';
import { MIN_REPS, MIN_STEADY_OPS, REPS_PER_CHUNK } from '../measurement/stopping-rule.js';
import { withPlan } from '../op/preflight.js';
import { collectEnvironment, type Environment } from '../results/environment.js';
import type { AnyResult } from '../results/result-types.js';
import { createStrategy } from '../strategies/registry.js';
import { expandScenarios } from '../strategies/scenario.js';
import { assembleBreakdown, assembleProfile, assembleSync } from './assemble-result.js';
import type { MeasuringRequest, Progress } from './protocol.js';

/**
 * What the measuring process does with a profile, breakdown or sync request: open the run's
 * device, plan the op on it, measure, close everything, and assemble the result.
 */
export function measure(request: MeasuringRequest, onProgress: (p: Progress) => void): Promise<AnyResult> {
  if (request.type === 'profile') return profile(request, onProgress);
  return experiments(request, onProgress);
}

/** Opens the run's device and plans its op on it; the device is closed if planning fails. */
async function openPlanned(given: ProfileConfig): Promise<{ gpu: GpuContext; config: PlannedConfig }> {
  const gpu = await openDevice(deviceOptions(given));
  try {
    return { gpu, config: await withPlan(gpu, given) };
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

async function profile(request: MeasuringRequest, onProgress: (p: Progress) => void): Promise<AnyResult> {
  const origin = process.hrtime.bigint();
  const environment = await measuredEnvironment();
  const { gpu, config } = await openPlanned(request.config);
  const context = { config, origin, gpu };
  const total = config.ops ?? 0;
  const strategies = expandScenarios(config.strategies, config.handoffs, config.poolSizes).map((s) =>
    createStrategy(s, context),
  );
  let rounds: RoundsOutcome;
  try {
    for (const strategy of strategies) {
      if (stopRequested()) break;
      onProgress({ label: `starting ${strategy.scenario.label}`, done: 0, total });
      await strategy.start();
    }
    rounds = await runRounds(
      strategies,
      {
        ...(config.ops === undefined ? {} : { count: config.ops }),
        minCount: MIN_STEADY_OPS,
        maxNoise: config.maxNoise,
        timeBudgetMs: config.timeBudgetMs,
        chunk: config.chunk,
      },
      (label, round, done) => {
        onProgress({ label: `${label} (round ${round})`, done, total });
      },
      stopRequested,
    );
  } finally {
    for (const strategy of strategies) await strategy.close();
    gpu.close();
  }
  return assembleProfile(
    { command: request.command, environment, device: gpu.info, config },
    strategies,
    rounds,
  );
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
  try {
    return request.type === 'breakdown'
      ? assembleBreakdown(run, await runBreakdown(gpu, config, rule, onRound))
      : assembleSync(run, await runSync(gpu, config, rule, onRound));
  } finally {
    gpu.close();
  }
}
