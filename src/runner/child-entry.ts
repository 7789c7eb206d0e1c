import { isMainThread } from 'node:worker_threads';
import { deviceOptions, type PlannedConfig, type ProfileConfig } from '../config/profile-config.js';
import { runDoctor } from '../device/doctor.js';
import { openDevice, type GpuContext } from '../device/open-device.js';
import { withPlan } from '../op/op-setup.js';
import { ExitCode, messageOf, WgprofError } from '../errors.js';
import { buildProfileResult } from '../results/build-result.js';
import { collectEnvironment, type Environment } from '../results/environment.js';
import { measureRecordingCost } from '../measurement/recording-cost.js';
import { runRounds, type RoundsOutcome } from '../measurement/rounds.js';
import { requestStop, stopRequested } from './stop-request.js';
import { runBreakdown } from '../experiments/run-breakdown.js';
import { runSync } from '../experiments/run-sync.js';
import { createStrategy } from '../strategies/registry.js';
import { expandScenarios } from '../strategies/scenario.js';
import type { RequestMessage, ResponseMessage, StopMessage } from './protocol.js';
import { sendToParent } from './send-to-parent.js';

/**
 * The measuring process. wgprof's CLI forks it with an IPC channel, sends one request, and reads
 * one result back; this process never writes to stdout itself, so anything that appears there is
 * Dawn's and the parent can keep it out of the user's output.
 */
function send(message: ResponseMessage): Promise<void> {
  return sendToParent(message);
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

async function profile(given: ProfileConfig, command: readonly string[]): Promise<void> {
  const origin = process.hrtime.bigint();
  const environment = await measuredEnvironment();
  const { gpu, config } = await openPlanned(given);
  const context = { config, origin, gpu };
  const strategies = expandScenarios(config.strategies, config.handoffs, config.poolSizes).map((s) =>
    createStrategy(s, context),
  );
  let rounds: RoundsOutcome | undefined;
  try {
    for (const strategy of strategies) {
      if (stopRequested()) break;
      void send({
        type: 'progress',
        label: `starting ${strategy.scenario.label}`,
        done: 0,
        total: config.ops ?? 0,
      });
      await strategy.start();
    }
    rounds = await runRounds(
      strategies,
      {
        ...(config.ops === undefined ? {} : { ops: config.ops }),
        maxNoise: config.maxNoise,
        timeBudgetMs: config.timeBudgetMs,
        chunk: config.chunk,
        minOps: MIN_OPS,
      },
      (label, round, done) =>
        void send({ type: 'progress', label: `${label} (round ${round})`, done, total: config.ops ?? 0 }),
      stopRequested,
    );
  } finally {
    for (const strategy of strategies) await strategy.close();
    gpu.close();
  }
  await send({
    type: 'result',
    result: buildProfileResult({ command, environment, device: gpu.info, config, strategies, rounds }),
  });
}

/** breakdown and sync: repeated experiments on a device opened here, and in fresh workers. */
async function experiments(
  kind: 'breakdown' | 'sync',
  given: ProfileConfig,
  command: readonly string[],
): Promise<void> {
  const environment = await measuredEnvironment();
  const { gpu, config } = await openPlanned(given);
  const plan = {
    ...(config.ops === undefined ? {} : { reps: config.ops }),
    minReps: MIN_REPS,
    maxNoise: config.maxNoise,
    timeBudgetMs: config.timeBudgetMs,
    chunk: 5,
  };
  const onRound = (done: number): void => {
    void send({ type: 'progress', label: kind, done, total: config.ops ?? 0 });
  };
  try {
    const run = kind === 'breakdown' ? runBreakdown : runSync;
    await send({ type: 'result', result: await run(gpu, config, plan, { environment, command }, onRound) });
  } finally {
    gpu.close();
  }
}

/** Fewest repetitions per experiment before --max-noise may stop breakdown or sync. */
const MIN_REPS = 10;

async function handle(request: RequestMessage): Promise<void> {
  try {
    if (request.type === 'profile') await profile(request.config, request.command);
    else if (request.type === 'doctor') await send({ type: 'doctor-result', report: await runDoctor() });
    else await experiments(request.type, request.config, request.command);
  } catch (error) {
    const exitCode = error instanceof WgprofError ? error.exitCode : ExitCode.internal;
    await send({
      type: 'error',
      message: messageOf(error),
      exitCode,
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  }
  process.disconnect();
  // A worker abandoned after a timeout may still hold the event loop (or be stuck in a GPU call):
  // the answer is delivered, so end here rather than wait for it.
  setTimeout(() => process.exit(0), 100).unref();
}

/** Fewest steady-state ops per strategy before --max-noise may end the rounds. */
const MIN_OPS = 30;

if (!process.send || !isMainThread) {
  process.stderr.write(
    'wgprof: this file is the measuring process that `wgprof` starts; run `wgprof --help`\n',
  );
  process.exitCode = ExitCode.usage;
} else {
  // A stop can come as a signal (Ctrl-C signals the whole process group) or as a message from
  // the CLI (a signal only it received); the first message is the request.
  process.on('SIGINT', requestStop);
  process.on('SIGTERM', requestStop);
  let started = false;
  process.on('message', (message: RequestMessage | StopMessage) => {
    if (message.type === 'stop') requestStop();
    else if (!started) {
      started = true;
      void handle(message);
    }
  });
}
