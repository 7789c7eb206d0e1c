import type { OpenDeviceOptions } from '../device/open-device.js';
import type { ProfileConfig } from './profile-config.js';

/**
 * The device a run asks for, the same in every thread. A file of its own, with type imports
 * only: a worker needs it before anything else, and must not load the config's parsers to get it.
 */
export function deviceOptions(config: ProfileConfig): OpenDeviceOptions {
  return {
    backend: config.backend,
    quantizeTimestamps: config.quantizeTimestamps,
    ...(config.adapter ? { adapter: config.adapter } : {}),
  };
}
