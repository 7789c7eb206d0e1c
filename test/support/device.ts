import { openDevice, type GpuContext } from '../../src/device/open-device.js';

/**
 * The real device the GPU tests share: lavapipe in CI, whatever `auto` finds elsewhere.
 * WGPROF_TEST_BACKEND overrides the backend for a local run.
 */
export function openTestDevice(): Promise<GpuContext> {
  const backend = process.env.WGPROF_TEST_BACKEND;
  return openDevice(backend ? { backend: backend as 'vulkan' } : {});
}
