import { parseBackend, type BackendChoice } from '../device/backend.js';
import type { OpenDeviceOptions } from '../device/open-device.js';
import { usageError } from '../errors.js';
import { builtinKernel } from '../kernels/builtin/index.js';
import { parseCreationMode, type CreationMode } from '../tensors/allocator.js';
import { parseDType, type DType } from '../tensors/dtype.js';
import {
  parseHandoffs,
  parsePoolSizes,
  parseStrategies,
  type StrategyName,
} from '../strategies/strategy-names.js';
import type { HandoffMode } from '../worker/protocol.js';
import { parseCount, parseDuration, parsePercent, parseSize } from './size.js';

/** `wgprof profile`'s options as the user gave them: strings, all optional. */
export interface ProfileOptions {
  strategy?: string;
  handoff?: string;
  poolSize?: string;
  maxNoise?: string;
  timeBudget?: string;
  opTimeout?: string;
  kernel?: string;
  dtype?: string;
  size?: string;
  ops?: string;
  warmup?: string;
  create?: string;
  readback?: boolean;
  backend?: string;
  adapter?: string;
  allowNull?: boolean;
  quantizeTimestamps?: boolean;
}

/** The options resolved and validated: what a run actually does. Stored in result.json. */
export interface ProfileConfig {
  readonly strategies: readonly StrategyName[];
  /** How the reused worker gets its ops; several modes make several scenarios. */
  readonly handoffs: readonly HandoffMode[];
  /** Pool sizes to sweep. */
  readonly poolSizes: readonly number[];
  readonly kernel: string;
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
  /** Ops run first and kept out of the figures. */
  readonly warmup: number;
  readonly create: CreationMode;
  readonly readback: boolean;
  readonly backend: BackendChoice;
  readonly adapter?: string;
  readonly quantizeTimestamps: boolean;
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
  create: 'writeBuffer',
  backend: 'auto',
} as const;

/** Ops per strategy per round: small enough to interleave often, large enough to amortise switching. */
const CHUNK = 20;

/** Resolves and validates once, at the boundary: every later stage trusts the config. */
export function resolveProfileConfig(options: ProfileOptions): ProfileConfig {
  const kernel = builtinKernel(options.kernel ?? PROFILE_DEFAULTS.kernel).name;
  const dtype = parseDType(options.dtype ?? PROFILE_DEFAULTS.dtype);
  if (!builtinKernel(kernel).dtypes.includes(dtype))
    throw usageError(`kernel '${kernel}' has no ${dtype} version`);
  const config: ProfileConfig = {
    strategies: parseStrategies(options.strategy ?? PROFILE_DEFAULTS.strategy),
    handoffs: parseHandoffs(options.handoff ?? PROFILE_DEFAULTS.handoff),
    poolSizes: parsePoolSizes(options.poolSize ?? PROFILE_DEFAULTS.poolSize),
    kernel,
    dtype,
    size: parseSize(options.size ?? PROFILE_DEFAULTS.size),
    ...(options.ops === undefined ? {} : { ops: parseCount(options.ops, '--ops', 1) }),
    maxNoise: parsePercent(options.maxNoise ?? PROFILE_DEFAULTS.maxNoise, '--max-noise'),
    timeBudgetMs: parseDuration(options.timeBudget ?? PROFILE_DEFAULTS.timeBudget, '--time-budget'),
    opTimeoutMs: parseDuration(options.opTimeout ?? PROFILE_DEFAULTS.opTimeout, '--op-timeout'),
    chunk: CHUNK,
    warmup: parseCount(options.warmup ?? PROFILE_DEFAULTS.warmup, '--warmup'),
    create: parseCreationMode(options.create ?? PROFILE_DEFAULTS.create),
    readback: options.readback ?? false,
    backend: parseBackend(options.backend ?? PROFILE_DEFAULTS.backend, options.allowNull ?? false),
    quantizeTimestamps: options.quantizeTimestamps ?? false,
  };
  return options.adapter ? { ...config, adapter: options.adapter } : config;
}

/** The device a run asks for, the same in every thread. */
export function deviceOptions(config: ProfileConfig): OpenDeviceOptions {
  return {
    backend: config.backend,
    quantizeTimestamps: config.quantizeTimestamps,
    ...(config.adapter ? { adapter: config.adapter } : {}),
  };
}
