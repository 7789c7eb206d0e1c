import { formatSize } from '../../config/size.js';
import { changedSettings, type SettingsConfig } from '../../results/figure-settings.js';
import type { ProfileResult, StrategyResult } from '../../results/result-types.js';

/**
 * Benchmark names for the continuous-benchmarking engines, the same for the same op every run,
 * so that each engine's history of a name is one configuration's.
 *
 * Bencher takes any non-empty name of at most 1,024 bytes (bencher_valid's
 * `is_valid_benchmark_name`: `!name.is_empty() && name.len() <= 1024`); github-action-benchmark
 * takes any string (its custom tools copy `name` as it is). A name valid for both, and safe in a
 * URL, a file name and a chart title: ASCII letters, digits and `._/-`, at most 1,024
 * characters (so 1,024 bytes).
 */
export const MAX_BENCHMARK_NAME_LENGTH = 1024;

/** A name of kept characters only; every other character (code point: the `u` flag) becomes `_`. */
const VALID = /^[A-Za-z0-9._/-]+$/;
const NOT_KEPT = /[^A-Za-z0-9._/-]/gu;

/** What a name becomes when nothing of it is left: a name is never empty. */
const EMPTY_NAME = '_';

/** Hex digits of the hash that ends a name cut to length (after a `.`). */
const HASH_DIGITS = 8;

/** Whether a name is valid for every engine wgprof exports to. */
export function isValidBenchmarkName(name: string): boolean {
  return name.length <= MAX_BENCHMARK_NAME_LENGTH && VALID.test(name);
}

/**
 * Any text as a valid name, the same way every time: each character outside `[A-Za-z0-9._/-]`
 * becomes `_`, one per code point (`a😀b` -> `a_b`), so that a name keeps its shape and its
 * length; an empty one becomes `_`. A name past 1,024 characters keeps its first 1,015 and ends
 * in `.` and a hash of the whole text, so that two long names that differ only near their ends
 * stay apart. A valid name is returned as it is (the function is idempotent).
 */
export function sanitizeBenchmarkName(text: string): string {
  if (isValidBenchmarkName(text)) return text;
  const replaced = text.replace(NOT_KEPT, '_');
  if (replaced === '') return EMPTY_NAME;
  if (replaced.length <= MAX_BENCHMARK_NAME_LENGTH) return replaced;
  const kept = replaced.slice(0, MAX_BENCHMARK_NAME_LENGTH - HASH_DIGITS - 1);
  return `${kept}.${fnv1a(text).toString(16).padStart(HASH_DIGITS, '0')}`;
}

/** 32-bit FNV-1a over UTF-16 code units: small, stable across runs and Node versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The config fields a name is made of. */
export type NamedConfig = Pick<ProfileResult['config'], 'kernel' | 'size' | 'dtype'> & SettingsConfig;

/**
 * The settings a flag changed, as one part of a name: `readback.dispatch-64x1x1`, or nothing for
 * a profile of defaults. Without it, a profile with `--readback` would extend the history of one
 * without: a step that is a change of setup, not of code. The kernel part already names a user's
 * file or module, so they are left out here.
 */
function settingsPart(config: NamedConfig): string | undefined {
  const named = changedSettings(config)
    .filter((setting) => !setting.startsWith('file=') && !setting.startsWith('module='))
    // `gpu-time=1/8` would add a `/` level; `uniform n=4,5` has a space and a comma.
    .map((setting) => setting.replace(/=/g, '-').replace(/ /g, '-').replace(/,/g, '_').replace(/\//g, 'in'));
  return named.length === 0 ? undefined : named.join('.');
}

/**
 * A scenario's benchmark, as the CLI names its parts: `scale/1M/f32/persistent`, the kernel (or
 * op module's name), the size as `--size` takes it, the dtype, the settings a flag changed from
 * the defaults (`scale/1M/f32/readback.warmup-2/main`, see {@link changedSettings}) and the
 * scenario's label (`pool/2`, `reused/atomics`), before it is made valid.
 */
export function benchmarkText(config: NamedConfig, run: Pick<StrategyResult, 'label'>): string {
  const settings = settingsPart(config);
  const parts = [config.kernel, formatSize(config.size), config.dtype, settings, run.label];
  return parts.filter((part) => part !== undefined).join('/');
}

/** A scenario's benchmark name, made valid: `scale/1M/f32/persistent`. */
export function benchmarkName(config: NamedConfig, run: Pick<StrategyResult, 'label'>): string {
  return sanitizeBenchmarkName(benchmarkText(config, run));
}
