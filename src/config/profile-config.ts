import { parseBackend, type BackendChoice } from '../device/backend.js';
import { usageError } from '../errors.js';
import { builtinKernel } from '../kernels/builtin/index.js';
import { parseCreationMode, type CreationMode } from '../tensors/allocator.js';
import { parseDType, type DType } from '../tensors/dtype.js';
import { parseStrategies, type StrategyName } from '../strategies/strategy-names.js';
import { parseCount, parseSize } from './size.js';

/** `wgprof profile`'s options as the user gave them: strings, all optional. */
export interface ProfileOptions {
  strategy?: string;
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
  readonly kernel: string;
  readonly dtype: DType;
  /** Elements per tensor (matmul: per matrix). */
  readonly size: number;
  /** Timed ops per strategy. */
  readonly ops: number;
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
  strategy: 'main',
  kernel: 'scale',
  dtype: 'f32',
  size: '1M',
  ops: '500',
  warmup: '50',
  create: 'writeBuffer',
  backend: 'auto',
} as const;

/** Resolves and validates once, at the boundary: every later stage trusts the config. */
export function resolveProfileConfig(options: ProfileOptions): ProfileConfig {
  const kernel = builtinKernel(options.kernel ?? PROFILE_DEFAULTS.kernel).name;
  const dtype = parseDType(options.dtype ?? PROFILE_DEFAULTS.dtype);
  if (!builtinKernel(kernel).dtypes.includes(dtype))
    throw usageError(`kernel '${kernel}' has no ${dtype} version`);
  const config: ProfileConfig = {
    strategies: parseStrategies(options.strategy ?? PROFILE_DEFAULTS.strategy),
    kernel,
    dtype,
    size: parseSize(options.size ?? PROFILE_DEFAULTS.size),
    ops: parseCount(options.ops ?? PROFILE_DEFAULTS.ops, '--ops', 1),
    warmup: parseCount(options.warmup ?? PROFILE_DEFAULTS.warmup, '--warmup'),
    create: parseCreationMode(options.create ?? PROFILE_DEFAULTS.create),
    readback: options.readback ?? false,
    backend: parseBackend(options.backend ?? PROFILE_DEFAULTS.backend, options.allowNull ?? false),
    quantizeTimestamps: options.quantizeTimestamps ?? false,
  };
  return options.adapter ? { ...config, adapter: options.adapter } : config;
}
