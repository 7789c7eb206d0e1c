import { Command } from 'commander';
import { parseLabel } from '../results/provenance.js';
import {
  PROFILE_DEFAULTS,
  resolveProfileConfig,
  type ProfileConfig,
  type ProfileOptions,
} from '../config/profile-config.js';
import { saveLatestPeak, savedPeak } from '../results/peak-store.js';
import { measurePeak } from '../runner/measure-peak.js';
import { withRates } from '../results/with-rates.js';
import { hasWork } from '../work/op-work.js';
import { peakReference } from '../work/peak-reference.js';
import { gpuError } from '../errors.js';
import { profileDetails, profileView } from '../reports/terminal/profile-view.js';
import type { PeakResult, ProfileResult } from '../results/result-types.js';
import { STRATEGY_NAMES } from '../config/strategy-names.js';
import { addOpOptions, addOutputOptions, addStopOptions, type OutputFlags } from './common-options.js';
import { runMeasurement, typedCommand } from './run-measurement.js';

/** `profile --peak`: `wgprof peak` on the profile's adapter, saved as its latest unless --no-save. */
async function measurePeakFirst(config: ProfileConfig, flags: OutputFlags): Promise<PeakResult> {
  if (!flags.json && !flags.quiet && process.stderr.isTTY)
    process.stderr.write("wgprof: measuring this adapter's limits first (--peak)\n");
  const peak = await measurePeak({
    backend: config.backend,
    ...(flags.label === undefined ? {} : { label: parseLabel(flags.label) }),
    ...(config.adapter === undefined ? {} : { adapter: config.adapter }),
  });
  if (flags.save) await saveLatestPeak(flags.out, peak);
  return peak;
}

export function profileCommand(): Command {
  const command = new Command('profile')
    .description('time one GPU op by phase (creation, kernel, sync) under each dispatch strategy')
    .option(
      '--strategy <names>',
      `where ops run: ${STRATEGY_NAMES.join(', ')}, comma-separated, or all`,
      PROFILE_DEFAULTS.strategy,
    )
    .option(
      '--handoff <modes>',
      'how the reused worker gets its ops: message, atomics, or both',
      PROFILE_DEFAULTS.handoff,
    )
    .option('--pool-size <sizes>', 'pool sizes to sweep, such as 1,2,4', PROFILE_DEFAULTS.poolSize);
  addOpOptions(command, PROFILE_DEFAULTS);
  addStopOptions(
    command,
    '--ops <n>',
    'timed ops per strategy (default: until --max-noise or --time-budget)',
    PROFILE_DEFAULTS.maxNoise,
  );
  command
    .option(
      '--replicates <n>',
      'measuring processes (each with its own device) per scenario, at least; the CIs cover the spread between them',
      PROFILE_DEFAULTS.replicates,
    )
    .option(
      '--warmup <n>',
      'ops run first in each measuring process and left out of the figures',
      PROFILE_DEFAULTS.warmup,
    )
    .option(
      '--warmup-min <duration>',
      "past --warmup's ops, warm up at least this long, so that wgprof's own JavaScript is compiled before the op is timed (0: exactly --warmup ops; fresh workers have none)",
      PROFILE_DEFAULTS.warmupMin,
    )
    .option(
      '--op-timeout <duration>',
      'record an op as timed out after this long',
      PROFILE_DEFAULTS.opTimeout,
    )
    .option('--readback', 'read the result back to the CPU in each op, as its own phase', false)
    .option(
      '--peak',
      "measure this adapter's limits first (wgprof peak, about 30 s) for each rate's share of them; without it, the latest saved peak of the adapter is used",
      false,
    );
  addOutputOptions(command);
  return command.action(async (flags: ProfileOptions & OutputFlags & { peak: boolean }) => {
    const config = resolveProfileConfig(flags);
    // --peak: the adapter's limits measured now, before the profile, and kept as its latest.
    const measured = flags.peak ? await measurePeakFirst(config, flags) : undefined;
    const result = await runMeasurement<ProfileResult>(
      { type: 'profile', config, command: typedCommand('profile') },
      flags,
      { view: profileView, details: profileDetails },
      (profile) => {
        if (!hasWork(profile.config.work)) return profile;
        if (measured) return withRates(profile, peakReference(measured, 'measured'));
        return withRates(profile, savedPeak(flags.out, profile));
      },
    );
    if (result.runs.every((r) => r.opsOk === 0)) {
      const first = result.runs.flatMap((r) => r.records.failures.slice(0, 1).map((f) => f.message));
      throw gpuError(`every op failed: ${first.join('; ')}`);
    }
  });
}
