import { formatSize } from '../config/size.js';
import { figureSettings } from '../results/figure-settings.js';
import type { ProfileResult } from '../results/result-types.js';
import { shortAdapter } from '../reports/terminal/view-parts.js';

/**
 * Which results belong in one trend: those of the same op (kernel or op module, size, dtype, how
 * its tensors are made, readback), the same settings that change its figures, on the same device
 * (adapter and backend) and host CPU. Results that differ in any of these measure something else,
 * and a step between them would be a difference of setup, not a change of the code.
 */
export interface GroupIdentity {
  /** Every field below, joined: equal keys, one group. */
  readonly key: string;
  /** "noop/1K/f32". */
  readonly op: string;
  /** "create=writeBuffer", "readback", "warmup=2", ...: the settings that change the figures. */
  readonly config: readonly string[];
  /** "llvmpipe: Mesa 25.0.7 (vulkan)". */
  readonly device: string;
  /** "AMD EPYC (2 cores)". */
  readonly host: string;
}

/** "noop/1K/f32", "matmul/64K/f16", "my-op/1K" (an op module or a WGSL file of its own types has no dtype of ours). */
export function opName(result: ProfileResult): string {
  const { config } = result;
  const own = config.op !== undefined || config.kernelFile !== undefined;
  return [config.kernel, formatSize(config.size), ...(own ? [] : [config.dtype])].join('/');
}

/** The group a result belongs to. */
export function groupIdentity(result: ProfileResult): GroupIdentity {
  const { device, environment } = result;
  const op = opName(result);
  const config = figureSettings(result.config);
  const deviceText = `${shortAdapter(device.description || device.device)} (${device.backend})`;
  const host = `${environment.cpu.model} (${environment.cpu.cores} cores)`;
  // The adapter's full identity in the key, its short name in the text.
  const deviceKey = [device.vendor, device.device, device.description, device.backend].join('|');
  const key = [op, ...config, deviceKey, environment.cpu.model, String(environment.cpu.cores)].join('\u0000');
  return { key, op, config, device: deviceText, host };
}
