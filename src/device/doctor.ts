import { messageOf } from '../errors.js';
import { BACKENDS, nativeBackend, type BackendName, type FeatureLevel } from './backend.js';
import type { DeviceInfo } from './device-info.js';
import { openDevice } from './open-device.js';

/** One backend as `wgprof doctor` found it. */
export interface DoctorEntry {
  readonly backend: BackendName;
  readonly featureLevel: FeatureLevel;
  readonly device?: DeviceInfo;
  readonly problem?: string;
}

export interface DoctorReport {
  readonly platform: NodeJS.Platform;
  readonly entries: readonly DoctorEntry[];
}

/** The backends worth trying on a platform: its own API first, then the others Dawn may have. */
export function backendsToTry(platform: NodeJS.Platform): BackendName[] {
  const first = nativeBackend(platform);
  const rest: BackendName[] =
    platform === 'darwin' ? [] : platform === 'win32' ? ['d3d11', 'vulkan', 'opengles'] : ['opengles'];
  return [first, ...rest.filter((b) => b !== first && BACKENDS.includes(b)), 'null'];
}

/** Opens each backend in turn (and closes it again), recording what it offers or why it failed. */
export async function runDoctor(platform: NodeJS.Platform = process.platform): Promise<DoctorReport> {
  const entries: DoctorEntry[] = [];
  for (const backend of backendsToTry(platform)) {
    const featureLevel: FeatureLevel =
      backend === 'opengles' || backend === 'opengl' ? 'compatibility' : 'core';
    try {
      const ctx = await openDevice({ backend });
      entries.push({ backend, featureLevel, device: ctx.info });
      ctx.close();
    } catch (error) {
      entries.push({
        backend,
        featureLevel,
        problem: messageOf(error).replace(/ On Debian.*$| Check that.*$/, ''),
      });
    }
  }
  return { platform, entries };
}
