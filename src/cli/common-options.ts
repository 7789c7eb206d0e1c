import { Option, type Command } from 'commander';
import type { ViewFlags } from './terminal-view.js';
import { PROFILE_DEFAULTS } from '../config/profile-config.js';
import { BACKENDS } from '../device/backend.js';
import { BUILTIN_KERNELS } from '../kernels/builtin/index.js';
import { CREATION_MODES } from '../tensors/allocator.js';
import { DTYPES } from '../tensors/dtype.js';

/** Flags every measuring command takes besides the op's: where results go and how they show. */
export interface OutputFlags extends ViewFlags {
  out: string;
  label?: string;
  save: boolean;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** --details and --no-color: every command with a terminal view takes them. */
export function addViewOptions(command: Command): Command {
  return command
    .option('--details', "print every table, note and warning (laid out for the terminal's width)")
    .option('--no-color', 'no color, even on a terminal (NO_COLOR does the same)');
}

/** The op: kernel, element type, size, tensor creation, and the device to run it on. */
export function addOpOptions(command: Command, defaults: { kernel: string; size: string }): Command {
  return (
    command
      // No commander default: a --kernel given beside --op is refused.
      .option(
        '--kernel <name|file.wgsl>',
        `a built-in kernel (${BUILTIN_KERNELS.map((k) => k.name).join(', ')}) or your own WGSL file (default: ${defaults.kernel})`,
      )
      .option('--op <file.mjs>', 'your own op module instead of a kernel (see the README: Your own op)')
      .option(
        '--op-arg <key=value>',
        "a value for your op module's setup, as ctx.args.key (repeatable)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option('--entry <name>', "your kernel's compute entry point, when its file has several")
      .option(
        '--uniform <name=value>',
        'a uniform member of your kernel: a number, a,b,c for a vector, or size for --size (repeatable)',
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option('--dispatch <x,y,z>', 'workgroups for your kernel (default: ceil(size / workgroup size))')
      .option(
        '--work <bytes=EXPR,flops=EXPR>',
        'what one op does, for its rates: bytes read + written and operations, from size and elementBytes (e.g. bytes=8*size,flops=2*size); built-in kernels declare their own',
      )
      // No commander default: a --dtype given for a kernel that fixes its own types is refused.
      .option(
        '--dtype <type>',
        `element type: ${DTYPES.join(', ')} (f16 needs shader-f16; default: ${PROFILE_DEFAULTS.dtype})`,
      )
      .option(
        '--size <n>',
        'elements per tensor (matmul: per matrix); K and M suffixes are binary',
        defaults.size,
      )
      .option('--create <mode>', `tensor creation: ${CREATION_MODES.join(', ')}`, PROFILE_DEFAULTS.create)
      .option('--backend <name>', `auto, or one of ${BACKENDS.join(', ')}`, PROFILE_DEFAULTS.backend)
      .option('--adapter <name>', "pick the adapter whose name contains this (Dawn's adapter= toggle)")
      .option('--allow-null', 'accept --backend null (plumbing checks only: it runs no GPU work)', false)
      .option('--quantize-timestamps', "keep Dawn's 64 us timestamp quantization (off by default)", false)
      .option(
        '--gpu-time <mode>',
        'which ops write GPU timestamps: sample (one in 2, the others untimed give the CPU figures), 1/N, every, none',
        PROFILE_DEFAULTS.gpuTime,
      )
  );
}

/** When to stop repeating: a fixed count, a noise target, a time budget. */
export function addStopOptions(
  command: Command,
  countFlag: string,
  countHelp: string,
  maxNoise: string,
): Command {
  return command
    .option(countFlag, countHelp)
    .option(
      '--max-noise <share>',
      "stop once every median's 95% CI half-width is below this share of it",
      maxNoise,
    )
    .option(
      '--time-budget <duration>',
      'stop after this long (such as 30s, 2m)',
      PROFILE_DEFAULTS.timeBudget,
    );
}

export function addOutputOptions(command: Command): Command {
  return command
    .option('--out <dir>', 'folder for the run folder holding result.json', 'results')
    .option(
      '--label <text>',
      "a name for this run in its result (a branch, a pull request), beside the working folder's git commit",
    )
    .option('--no-save', 'do not write result.json')
    .option('--json', 'print the result as JSON on stdout instead of the tables')
    .addOption(new Option('-q, --quiet', 'no progress display'))
    .option('-v, --verbose', 'show every line Dawn prints, and stack traces on errors')
    .option('--details', "print every table, note and warning (laid out for the terminal's width)")
    .option('--no-color', 'no color, even on a terminal (NO_COLOR does the same)');
}
