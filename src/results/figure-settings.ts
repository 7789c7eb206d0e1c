import { basename } from 'node:path';
import { formatGpuTime, parseGpuTime } from '../config/gpu-time.js';
import { PROFILE_DEFAULTS } from '../config/profile-config.js';
import { parseDuration } from '../config/size.js';
import type { ProfileResult } from './result-types.js';

/** The config fields that change an op's figures. */
export type SettingsConfig = Pick<
  ProfileResult['config'],
  | 'create'
  | 'readback'
  | 'kernelFile'
  | 'op'
  | 'entry'
  | 'uniforms'
  | 'dispatch'
  | 'warmup'
  | 'warmupMinMs'
  | 'gpuTime'
  | 'quantizeTimestamps'
>;

/**
 * The settings that change what an op costs, "name=value", in a fixed order. Chosen, not every
 * field of the config: how many ops ran, the noise target, the time budget, the replicates and
 * the scenarios run change how well a figure is known, not the figure, and the adapter and
 * backend asked for are the device's part (what was opened, not what was asked).
 */
export function figureSettings(config: SettingsConfig): string[] {
  const settings: (string | undefined)[] = [
    `create=${config.create}`,
    config.readback ? 'readback' : undefined,
    // A user's file or module by its name: the same op checked out elsewhere is the same op.
    config.kernelFile === undefined ? undefined : `file=${basename(config.kernelFile)}`,
    config.op === undefined ? undefined : `module=${basename(config.op.file)}`,
    ...Object.entries(config.op?.args ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`),
    config.entry === undefined ? undefined : `entry=${config.entry}`,
    ...Object.entries(config.uniforms ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `uniform ${k}=${v.join(',')}`),
    config.dispatch === undefined ? undefined : `dispatch=${config.dispatch.join('x')}`,
    // The warm-up decides how warm the steady ops are (profile-config.ts measured 1.2x between 20 and 400 ops).
    `warmup=${config.warmup}`,
    config.warmupMinMs === undefined ? undefined : `warmup-min=${config.warmupMinMs}ms`,
    // Timed ops cost more; which ones are timed changes the figures that include them.
    config.gpuTime === undefined ? undefined : `gpu-time=${formatGpuTime(config.gpuTime)}`,
    config.quantizeTimestamps ? 'quantize-timestamps' : undefined,
  ];
  return settings.filter((s): s is string => s !== undefined);
}

/** The figure settings a profile has when no flag changes them, as figureSettings writes them. */
const DEFAULT_SETTINGS: ReadonlySet<string> = new Set([
  `create=${PROFILE_DEFAULTS.create}`,
  `warmup=${PROFILE_DEFAULTS.warmup}`,
  `warmup-min=${parseDuration(PROFILE_DEFAULTS.warmupMin, '--warmup-min', true)}ms`,
  `gpu-time=${formatGpuTime(parseGpuTime(PROFILE_DEFAULTS.gpuTime))}`,
]);

/**
 * The figure settings a flag changed from the CLI's defaults: ["readback", "dispatch=64x1x1"].
 * Empty for a profile of defaults, so that names built from them stay short where most runs are.
 */
export function changedSettings(config: SettingsConfig): string[] {
  return figureSettings(config).filter((setting) => !DEFAULT_SETTINGS.has(setting));
}
