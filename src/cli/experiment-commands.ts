import { Command } from 'commander';
import { usageError } from '../errors.js';
import { resolveProfileConfig, type ProfileOptions } from '../config/profile-config.js';
import { breakdownDetails, breakdownView } from '../reports/terminal/breakdown-view.js';
import { syncDetails, syncView } from '../reports/terminal/sync-view.js';
import type { BreakdownResult, SyncResult } from '../results/result-types.js';
import { addOpOptions, addOutputOptions, addStopOptions, type OutputFlags } from './common-options.js';
import { runMeasurement, typedCommand } from './run-measurement.js';
import { withFloors } from '../results/with-rates.js';
import { savedPeak } from '../results/peak-store.js';

type ExperimentFlags = Omit<ProfileOptions, 'ops'> & OutputFlags & { reps?: string };

/** Experiments stop at 5% noise by default: a fresh worker's cost is noisier than an op's. */
const MAX_NOISE = '5%';

function configOf(flags: ExperimentFlags, defaultKernel: string): ReturnType<typeof resolveProfileConfig> {
  const { reps, ...rest } = flags;
  return resolveProfileConfig(
    { ...rest, defaultKernel, strategy: 'main', ...(reps === undefined ? {} : { ops: reps }) },
    '--reps',
  );
}

function experimentCommand(
  name: string,
  description: string,
  defaults: { kernel: string; size: string },
): Command {
  const command = new Command(name).description(description);
  addOpOptions(command, defaults);
  addStopOptions(
    command,
    '--reps <n>',
    'repetitions per experiment (default: until --max-noise or --time-budget)',
    MAX_NOISE,
  );
  command.option('--warmup <n>', 'ops run before the sync-overhead measurement', '20');
  return addOutputOptions(command);
}

export function breakdownCommand(): Command {
  return experimentCommand(
    'breakdown',
    "measure each component of a fresh-worker op on its own (thread, dawn.node, device, tensors, dispatch, sync), and the main thread's for contrast",
    { kernel: 'scale', size: '1M' },
  ).action(async (flags: ExperimentFlags) => {
    await runMeasurement<BreakdownResult>(
      { type: 'breakdown', config: configOf(flags, 'scale'), command: typedCommand('breakdown') },
      flags,
      { view: breakdownView, details: breakdownDetails },
      (result) => withFloors(result, savedPeak(flags.out, result)),
    );
  });
}

export function syncCommand(): Command {
  return experimentCommand(
    'sync',
    'isolate the cost of synchronising with the GPU: the floor, completion methods over sizes, batching, and sync minus GPU time',
    { kernel: 'noop', size: '1K' },
  ).action(async (flags: ExperimentFlags) => {
    // sync's experiments (the floor, completion over sizes, k dispatches per sync) are built from
    // wgprof's kernels; an op module's sync and GPU time are in its profile.
    if (flags.op !== undefined)
      throw usageError(
        "sync --op: the sync experiments run wgprof's own kernels; `wgprof profile --op FILE` shows your op's sync phase beside its GPU time",
      );
    await runMeasurement<SyncResult>(
      { type: 'sync', config: configOf(flags, 'noop'), command: typedCommand('sync') },
      flags,
      { view: syncView, details: syncDetails },
      (result) => withFloors(result, savedPeak(flags.out, result)),
    );
  });
}
