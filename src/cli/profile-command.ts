import { Command, Option } from 'commander';
import { PROFILE_DEFAULTS, resolveProfileConfig, type ProfileOptions } from '../config/profile-config.js';
import { ExitCode, gpuError } from '../errors.js';
import { BUILTIN_KERNELS } from '../kernels/builtin/index.js';
import { renderProfile } from '../reports/profile-report.js';
import type { ProfileResult } from '../results/result-types.js';
import { writeResultFile } from '../results/write-result.js';
import { runInChild } from '../runner/run-in-child.js';
import { STRATEGY_NAMES } from '../strategies/strategy-names.js';
import { CREATION_MODES } from '../tensors/allocator.js';
import { DTYPES } from '../tensors/dtype.js';
import { BACKENDS } from '../device/backend.js';
import { createProgress } from './progress.js';

interface ProfileFlags extends ProfileOptions {
  out: string;
  save: boolean;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function profileCommand(): Command {
  return new Command('profile')
    .description('time one GPU op by phase (creation, kernel, sync), over many ops, and summarise each phase')
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
    .option('--pool-size <sizes>', 'pool sizes to sweep, such as 1,2,4', PROFILE_DEFAULTS.poolSize)
    .option(
      '--max-noise <share>',
      "stop once every median's 95% CI half-width is below this share of it",
      PROFILE_DEFAULTS.maxNoise,
    )
    .option(
      '--time-budget <duration>',
      'stop the rounds after this long (such as 30s, 2m)',
      PROFILE_DEFAULTS.timeBudget,
    )
    .option(
      '--op-timeout <duration>',
      'record an op as timed out after this long',
      PROFILE_DEFAULTS.opTimeout,
    )
    .option(
      '--kernel <name>',
      `built-in kernel: ${BUILTIN_KERNELS.map((k) => k.name).join(', ')}`,
      PROFILE_DEFAULTS.kernel,
    )
    .option(
      '--dtype <type>',
      `element type: ${DTYPES.join(', ')} (f16 needs shader-f16)`,
      PROFILE_DEFAULTS.dtype,
    )
    .option(
      '--size <n>',
      'elements per tensor (matmul: per matrix); K and M suffixes are binary',
      PROFILE_DEFAULTS.size,
    )
    .option('--ops <n>', 'timed ops per strategy (default: until --max-noise or --time-budget)')
    .option('--warmup <n>', 'ops run first and left out of the figures', PROFILE_DEFAULTS.warmup)
    .option('--create <mode>', `tensor creation: ${CREATION_MODES.join(', ')}`, PROFILE_DEFAULTS.create)
    .option('--readback', 'read the result back to the CPU in each op, as its own phase', false)
    .option('--backend <name>', `auto, or one of ${BACKENDS.join(', ')}`, PROFILE_DEFAULTS.backend)
    .option('--adapter <name>', "pick the adapter whose name contains this (Dawn's adapter= toggle)")
    .option('--allow-null', 'accept --backend null (plumbing checks only: it runs no GPU work)', false)
    .option('--quantize-timestamps', "keep Dawn's 64 us timestamp quantization (off by default)", false)
    .option('--out <dir>', 'folder for the run folder holding result.json', 'results')
    .option('--no-save', 'do not write result.json')
    .option('--json', 'print the result as JSON on stdout instead of the tables')
    .addOption(new Option('-q, --quiet', 'no progress display'))
    .option('-v, --verbose', 'show every line Dawn prints, and stack traces on errors')
    .action(async (flags: ProfileFlags, command: Command) => {
      const config = resolveProfileConfig(flags);
      const progress = createProgress(!flags.json && !flags.quiet);
      const outcome = await runInChild(
        { type: 'profile', config, command: ['wgprof', 'profile', ...command.args, ...rawFlags()] },
        { onProgress: (p) => progress.update(p.label, p.done, p.total), verbose: flags.verbose ?? false },
      ).finally(() => progress.done());
      if (outcome.response.type !== 'profile-result')
        throw new Error('the measuring process answered out of turn');
      const result: ProfileResult = { ...outcome.response.result, nativeMessages: outcome.nativeMessages };
      const path = flags.save
        ? await writeResultFile(flags.out, 'profile', new Date(result.createdAt), result)
        : undefined;
      if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${renderProfile(result)}${path ? `\nresult: ${path}\n` : ''}`);
      if (result.runs.every((r) => r.opsOk === 0)) {
        throw gpuError(
          `every op failed: ${result.runs.flatMap((r) => r.records.failures.slice(0, 1).map((f) => f.message)).join('; ')}`,
        );
      }
      process.exitCode = ExitCode.ok;
    });
}

/** The flags exactly as typed after `profile`, for the result's record of the command line. */
function rawFlags(): string[] {
  const i = process.argv.indexOf('profile');
  return i >= 0 ? process.argv.slice(i + 1) : [];
}
