import type { ProfileOptions } from '../config/profile-config.js';
import type { HandoffMode, StrategyName } from '../config/strategy-names.js';
import type { CreationMode } from '../tensors/allocator.js';
import type { DType } from '../tensors/dtype.js';
import type { PeakResult } from '../results/result-types.js';

/** A count: a number, or the CLI's text (`64K`, `1M`). */
type Count = number | string;
/** A duration: milliseconds, or the CLI's text (`500ms`, `30s`, `2m`). */
type Duration = number | string;
/** A share: 0 to 1, or the CLI's text (`2%`). */
type Share = number | string;

/**
 * The options of `profile`, `breakdown` and `sync`: the CLI's flags in camelCase, typed. Every
 * one is optional and has the CLI's default; the README's flag table says what each does.
 */
export interface RunOptions {
  /** A built-in kernel's name, or a WGSL file's path. */
  readonly kernel?: string;
  /** An op module's path (instead of a kernel), and the values its setup sees as ctx.args. */
  readonly op?: string;
  readonly opArg?: Readonly<Record<string, string | number>>;
  readonly entry?: string;
  /** Your kernel's uniforms: numbers, vectors, or 'size' for --size. */
  readonly uniform?: Readonly<Record<string, number | readonly number[] | 'size'>>;
  /** Workgroups: one count, or x, y, z. */
  readonly dispatch?: number | readonly [number, number?, number?];
  readonly dtype?: DType;
  readonly size?: Count;
  readonly create?: CreationMode;
  readonly backend?: string;
  readonly adapter?: string;
  readonly quantizeTimestamps?: boolean;
  /**
   * Which ops write GPU timestamps: 'sample' (one in 2; the untimed ones give every CPU-side
   * figure), '1/N', 'every' (the figures then include timing's cost) or 'none' (no GPU time).
   */
  readonly gpuTime?: 'sample' | 'every' | 'none' | `1/${number}`;
  /**
   * What one op does, for its rates (the CLI's --work): bytes read + written and operations per
   * op, each a number or an expression of `size` and `elementBytes` ('8*size'). Built-in kernels
   * and op modules with a work() export declare their own.
   */
  readonly work?: { readonly bytes?: number | string; readonly flops?: number | string };
  readonly maxNoise?: Share;
  readonly timeBudget?: Duration;
  readonly warmup?: number;
  /** The shortest each thread's warm-up lasts past its `warmup` ops: ms, or the CLI's text (`250ms`); 0 for none. */
  readonly warmupMin?: Duration;
  /** Write result.json (and the reports beside it) into a run folder under this folder; nothing is written otherwise. */
  readonly out?: string;
  /** A name for this run in its result's provenance (a branch, a pull request), beside the git commit. */
  readonly label?: string;
  /** Ends the measurement early, keeping what was measured (as Ctrl-C does for the CLI). */
  readonly signal?: AbortSignal;
  /** Progress as the measuring processes report it. */
  readonly onProgress?: (progress: { label: string; done: number; total: number }) => void;
  /** Lines Dawn printed that may matter (default: written to stderr, as the CLI does). */
  readonly onNativeLine?: (line: string) => void;
}

export interface ProfileRunOptions extends RunOptions {
  /** Where ops run: one strategy, several, or 'all'. */
  readonly strategy?: StrategyName | 'all' | readonly StrategyName[];
  readonly handoff?: HandoffMode | 'both' | readonly HandoffMode[];
  readonly poolSize?: number | readonly number[];
  /** Timed ops per scenario (default: until maxNoise or timeBudget). */
  readonly ops?: number;
  readonly replicates?: number;
  readonly opTimeout?: Duration;
  readonly readback?: boolean;
  /**
   * The device's measured limits that each rate's share is taken against: `true` measures them
   * first (the CLI's --peak, about 30 s), a `peak()` result is used as it is; absent, the latest
   * peak saved under `out` for this adapter, if any.
   */
  readonly peak?: boolean | PeakResult;
}

export interface ExperimentRunOptions extends RunOptions {
  /** Repetitions per experiment (default: until maxNoise or timeBudget). */
  readonly reps?: number;
}

/** Every option of `profile`, by name: what the API's messages may name. */
export const PROFILE_OPTION_NAMES = [
  'kernel',
  'op',
  'opArg',
  'entry',
  'uniform',
  'dispatch',
  'dtype',
  'size',
  'create',
  'backend',
  'adapter',
  'quantizeTimestamps',
  'gpuTime',
  'work',
  'maxNoise',
  'timeBudget',
  'warmup',
  'warmupMin',
  'out',
  'label',
  'signal',
  'onProgress',
  'onNativeLine',
  'strategy',
  'handoff',
  'poolSize',
  'ops',
  'replicates',
  'opTimeout',
  'readback',
  'peak',
] as const satisfies readonly (keyof ProfileRunOptions)[];

/** Every option of `breakdown` and `sync`. */
export const EXPERIMENT_OPTION_NAMES = [
  ...PROFILE_OPTION_NAMES.filter(
    (name): name is Exclude<typeof name, Exclude<keyof ProfileRunOptions, keyof RunOptions>> =>
      !['strategy', 'handoff', 'poolSize', 'ops', 'replicates', 'opTimeout', 'readback', 'peak'].includes(
        name,
      ),
  ),
  'reps',
] as const satisfies readonly (keyof ExperimentRunOptions)[];

type Unlisted = Exclude<keyof ProfileRunOptions, (typeof PROFILE_OPTION_NAMES)[number]>;
/** True, or a compile error naming an option added to the options but not to the lists above. */
export const EVERY_OPTION_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

const text = (value: number | string | undefined): string | undefined =>
  value === undefined ? undefined : String(value);
const list = <T>(value: T | readonly T[] | undefined): string | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).join(',');
const ms = (value: Duration | undefined): string | undefined =>
  typeof value === 'number' ? `${value}ms` : value;

/** The typed options as the CLI's strings, so that both go through the one resolver and its checks. */
export function toProfileOptions(options: ProfileRunOptions & ExperimentRunOptions): ProfileOptions {
  const out: ProfileOptions = {};
  const set = <K extends keyof ProfileOptions>(key: K, value: ProfileOptions[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set('kernel', options.kernel);
  set('op', options.op);
  if (options.opArg)
    set(
      'opArg',
      Object.entries(options.opArg).map(([k, v]) => `${k}=${v}`),
    );
  set('entry', options.entry);
  if (options.uniform)
    set(
      'uniform',
      Object.entries(options.uniform).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`),
    );
  if (options.dispatch !== undefined)
    set(
      'dispatch',
      typeof options.dispatch === 'number'
        ? String(options.dispatch)
        : options.dispatch.filter((d) => d !== undefined).join(','),
    );
  set('dtype', options.dtype);
  set('size', text(options.size));
  set('create', options.create);
  set('backend', options.backend);
  set('adapter', options.adapter);
  set('quantizeTimestamps', options.quantizeTimestamps);
  set('gpuTime', options.gpuTime);
  if (options.work)
    set(
      'work',
      Object.entries(options.work)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(','),
    );
  set('maxNoise', text(options.maxNoise));
  set('timeBudget', ms(options.timeBudget));
  set('warmup', text(options.warmup));
  set('warmupMin', ms(options.warmupMin));
  set('strategy', list(options.strategy));
  set('handoff', list(options.handoff));
  set('poolSize', list(options.poolSize));
  set('ops', text(options.ops ?? options.reps));
  set('replicates', text(options.replicates));
  set('opTimeout', ms(options.opTimeout));
  set('readback', options.readback);
  return out;
}
