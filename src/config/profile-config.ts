import { parseBackend, type BackendChoice } from '../device/backend.js';
import { usageError } from '../errors.js';
import { builtinKernel } from '../kernels/builtin/index.js';
import type { KernelPlan, UniformValues } from '../kernels/kernel-plan.js';
import { kernelFileName } from '../kernels/kernel-source.js';
import { hasTypeAlias, readShader } from '../kernels/wgsl-source.js';
import { parseCreationMode, type CreationMode } from '../tensors/allocator.js';
import { parseDType, type DType } from '../tensors/dtype.js';
import {
  parseHandoffs,
  parsePoolSizes,
  parseStrategies,
  type HandoffMode,
  type StrategyName,
} from './strategy-names.js';
import { isKernelFile, parseDispatch, parseUniforms, resolveKernelFile } from './kernel-flags.js';
import { parseCount, parseDuration, parsePercent, parseSize } from './size.js';
import { resolveOpModule } from './op-flags.js';
import { parseGpuTime, type GpuTimePlan } from './gpu-time.js';
import type { OpModuleRef } from './op-flags.js';
import type { OpWork } from '../work/op-work.js';
import { evaluateWorkFlag, parseWorkFlag, type WorkExpressions } from '../work/work-flag.js';
import { DTYPE_INFO } from '../tensors/dtype.js';

/** `wgprof profile`'s options as the user gave them: strings, all optional. */
export interface ProfileOptions {
  strategy?: string;
  handoff?: string;
  poolSize?: string;
  maxNoise?: string;
  timeBudget?: string;
  opTimeout?: string;
  kernel?: string;
  /** The command's kernel when neither --kernel nor --op is given (sync's is noop). */
  defaultKernel?: string;
  op?: string;
  opArg?: string[];
  entry?: string;
  uniform?: string[];
  dispatch?: string;
  dtype?: string;
  size?: string;
  ops?: string;
  replicates?: string;
  warmup?: string;
  warmupMin?: string;
  create?: string;
  readback?: boolean;
  backend?: string;
  adapter?: string;
  allowNull?: boolean;
  quantizeTimestamps?: boolean;
  gpuTime?: string;
  /** `--work bytes=EXPR,flops=EXPR`: what one op does, for its rates. */
  work?: string;
}

/** The options resolved and validated: what a run actually does. Stored in result.json. */
export interface ProfileConfig {
  readonly strategies: readonly StrategyName[];
  /** How the reused worker gets its ops; several modes make several scenarios. */
  readonly handoffs: readonly HandoffMode[];
  /** Pool sizes to sweep. */
  readonly poolSizes: readonly number[];
  /**
   * A built-in kernel's name, or the user's file's name without `.wgsl`; for an op module, its
   * `name` export (set by the measuring process once it imported it), else its file's name.
   */
  readonly kernel: string;
  /** The user's op module (--op) and its --op-arg values, instead of a kernel. */
  readonly op?: OpModuleRef;
  /** The user's WGSL file, absolute; absent for a built-in kernel. */
  readonly kernelFile?: string;
  /** The compute entry point to run (--entry), when the file has several. */
  readonly entry?: string;
  /** --uniform values by member name (`size` already replaced by --size). */
  readonly uniforms?: UniformValues;
  /** --dispatch: workgroup counts, instead of ceil(size / workgroup size). */
  readonly dispatch?: readonly [number, number, number];
  readonly dtype: DType;
  /** Elements per tensor (matmul: per matrix). */
  readonly size: number;
  /** Timed ops per strategy; absent: rounds go on until --max-noise or --time-budget. */
  readonly ops?: number;
  /** Stop when every strategy's median has a 95% CI half-width below this share of it. */
  readonly maxNoise: number;
  readonly timeBudgetMs: number;
  /** An op with no answer after this long is recorded as timed out. */
  readonly opTimeoutMs: number;
  /** Ops per strategy per round of the interleaved schedule. */
  readonly chunk: number;
  /**
   * Independent measuring processes (each with its own device) per scenario, at least: the
   * rounds of the schedule. Absent in results written before wgprof ran replicates (one).
   */
  readonly replicates?: number;
  /** Ops run first and kept out of the figures. */
  readonly warmup: number;
  /**
   * The shortest a thread's warm-up lasts, ms, past its --warmup ops (none when --warmup is 0);
   * fresh workers are cold by design and have none. wgprof's own JavaScript around the op must be
   * compiled before the op is timed: on a 2-core VM with lavapipe, a 1K scale op after 20 warm-up
   * ops measured creation 1.20x and kernel CPU 1.24x a bare dawn.node loop's (whose JavaScript is
   * a few lines, and measured the same after 20 or 400), and after 400 ops 1.04x and 1.03x.
   * Absent in results written before it existed (none).
   */
  readonly warmupMinMs?: number;
  readonly create: CreationMode;
  readonly readback: boolean;
  readonly backend: BackendChoice;
  readonly adapter?: string;
  readonly quantizeTimestamps: boolean;
  /**
   * Which ops write GPU timestamps (config/gpu-time.ts): by default one in 2, so that
   * the CPU-side figures come from untimed ops. Absent in results written before (every op).
   */
  readonly gpuTime?: GpuTimePlan;
  /**
   * The op as laid out on the run's device (tensors, uniform words, dispatches), set by the
   * measuring process before anything runs; every thread runs this plan.
   */
  readonly plan?: KernelPlan;
  /** `--work`'s expressions, checked at this size; they override a built-in's or a module's own. */
  readonly workExpressions?: WorkExpressions;
  /**
   * What one op does (bytes and operations), set by the measuring process once the op is ready:
   * from the built-in kernel, --work, or the op module's `work(args)`. Absent: no rate.
   */
  readonly work?: OpWork;
}

/** A config whose kernel has been planned on the run's device. */
export type PlannedConfig = ProfileConfig & { readonly plan: KernelPlan; readonly op?: undefined };

/** A config whose op is a user's op module, checked: each thread imports it itself. */
export type ModuleConfig = ProfileConfig & { readonly op: OpModuleRef; readonly plan?: undefined };

/** A config ready for every thread: a planned kernel, or an op module. */
export type RunConfig = PlannedConfig | ModuleConfig;

/** The config of code that runs wgprof's kernels only; an op module there is a bug upstream. */
export function kernelConfig(config: RunConfig): PlannedConfig {
  if (config.op) throw new Error(`'${config.kernel}' is an op module, not a planned kernel`);
  return config;
}

/** Every default in one place; the README's flag table mirrors it. */
export const PROFILE_DEFAULTS = {
  strategy: 'all',
  handoff: 'message',
  poolSize: '1',
  maxNoise: '2%',
  timeBudget: '60s',
  opTimeout: '30s',
  kernel: 'scale',
  dtype: 'f32',
  size: '1M',
  warmup: '20',
  warmupMin: '250ms',
  replicates: '3',
  create: 'writeBuffer',
  backend: 'auto',
  gpuTime: 'sample',
} as const;

/** More replicates than this is a typo: each is a process start per scenario. */
export const MAX_REPLICATES = 50;

/** Ops per strategy per round: small enough to interleave often, large enough to amortise switching. */
const CHUNK = 20;

/**
 * Resolves and validates once, at the boundary: every later stage trusts the config.
 *
 * @param opsFlag the flag that gave `options.ops`, for its messages: breakdown and sync call it `--reps`.
 */
export function resolveProfileConfig(options: ProfileOptions, opsFlag = '--ops'): ProfileConfig {
  const size = parseSize(options.size ?? PROFILE_DEFAULTS.size);
  const kernel = resolveKernel(options, size);
  const dtype = parseDType(options.dtype ?? PROFILE_DEFAULTS.dtype);
  if (kernel.op !== undefined) {
    // An op module makes its own tensors and kernels: the kernel's flags have nothing to set.
  } else if (kernel.kernelFile !== undefined) {
    if (options.dtype !== undefined && dtype !== 'f32' && !hasTypeAlias(readShader(kernel.kernelFile)))
      throw usageError(
        `--dtype ${dtype}: ${kernel.kernel}.wgsl fixes its own element types; --dtype needs an \`alias T = f32;\` line to rewrite`,
      );
  } else if (!builtinKernel(kernel.kernel).dtypes.includes(dtype)) {
    throw usageError(`kernel '${kernel.kernel}' has no ${dtype} version`);
  }
  const config: ProfileConfig = {
    strategies: parseStrategies(options.strategy ?? PROFILE_DEFAULTS.strategy),
    handoffs: parseHandoffs(options.handoff ?? PROFILE_DEFAULTS.handoff),
    poolSizes: parsePoolSizes(options.poolSize ?? PROFILE_DEFAULTS.poolSize),
    ...kernel,
    dtype,
    size,
    ...(options.ops === undefined ? {} : { ops: parseCount(options.ops, opsFlag, 1) }),
    maxNoise: parsePercent(options.maxNoise ?? PROFILE_DEFAULTS.maxNoise, '--max-noise'),
    timeBudgetMs: parseDuration(options.timeBudget ?? PROFILE_DEFAULTS.timeBudget, '--time-budget'),
    opTimeoutMs: parseDuration(options.opTimeout ?? PROFILE_DEFAULTS.opTimeout, '--op-timeout'),
    chunk: CHUNK,
    replicates: parseCount(
      options.replicates ?? PROFILE_DEFAULTS.replicates,
      '--replicates',
      1,
      MAX_REPLICATES,
    ),
    warmup: parseCount(options.warmup ?? PROFILE_DEFAULTS.warmup, '--warmup'),
    warmupMinMs: parseDuration(options.warmupMin ?? PROFILE_DEFAULTS.warmupMin, '--warmup-min', true),
    create: parseCreationMode(options.create ?? PROFILE_DEFAULTS.create),
    readback: options.readback ?? false,
    backend: parseBackend(options.backend ?? PROFILE_DEFAULTS.backend, options.allowNull ?? false),
    quantizeTimestamps: options.quantizeTimestamps ?? false,
    gpuTime: parseGpuTime(options.gpuTime ?? PROFILE_DEFAULTS.gpuTime),
    ...(options.work === undefined ? {} : { workExpressions: checkedWork(options.work, size, dtype) }),
  };
  return options.adapter ? { ...config, adapter: options.adapter } : config;
}

/** --work parsed, and evaluated once at the run's size so that a bad value is refused before any run. */
function checkedWork(text: string, size: number, dtype: DType): WorkExpressions {
  const expressions = parseWorkFlag(text);
  evaluateWorkFlag(expressions, { size, elementBytes: DTYPE_INFO[dtype].bytes });
  return expressions;
}

type KernelChoice = Pick<ProfileConfig, 'kernel' | 'kernelFile' | 'entry' | 'uniforms' | 'dispatch' | 'op'>;

/** --kernel and the flags that only a user's kernel file takes; or --op and its --op-arg values. */
function resolveKernel(options: ProfileOptions, size: number): KernelChoice {
  if (options.op !== undefined) return resolveOpModule(options);
  if (options.opArg && options.opArg.length > 0)
    throw usageError('--op-arg: only for an op module (--op path/to/op.mjs)');
  const text = options.kernel ?? options.defaultKernel ?? PROFILE_DEFAULTS.kernel;
  const userFlags = { entry: options.entry, uniform: options.uniform, dispatch: options.dispatch };
  if (!isKernelFile(text)) {
    const given = Object.entries(userFlags)
      .filter(([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0))
      .map(([k]) => `--${k}`);
    if (given.length > 0)
      throw usageError(
        `${given.join(', ')}: only for your own kernel (--kernel path/to/kernel.wgsl); built-in '${text}' sets its own`,
      );
    return { kernel: builtinKernel(text).name };
  }
  const kernelFile = resolveKernelFile(text);
  return {
    kernel: kernelFileName(kernelFile),
    kernelFile,
    ...(options.entry === undefined ? {} : { entry: options.entry }),
    ...(options.uniform && options.uniform.length > 0
      ? { uniforms: parseUniforms(options.uniform, size) }
      : {}),
    ...(options.dispatch === undefined ? {} : { dispatch: parseDispatch(options.dispatch) }),
  };
}
