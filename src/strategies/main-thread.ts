import type { ProfileConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { KernelRegistry } from '../kernels/kernel-registry.js';
import { runOpLoop } from '../measurement/op-loop.js';
import { RecordStore } from '../measurement/record-store.js';
import { GpuTimer } from '../op/gpu-timer.js';
import { setUpOp } from '../op/op-setup.js';
import type { Phase } from '../op/phases.js';
import type { StrategyRun } from './strategy-run.js';

/** The baseline: the op loop on the main thread, on a device opened once before it. */
export async function runMainThread(
  ctx: GpuContext,
  config: ProfileConfig,
  origin: bigint,
  onOp?: (done: number) => void,
): Promise<StrategyRun> {
  const setup = await setUpOp(ctx, new KernelRegistry(ctx.device), config);
  const timer = ctx.info.timestamps ? new GpuTimer(ctx.device) : undefined;
  const phases: Phase[] = ['creation', 'kernelCpu', 'sync'];
  if (timer) phases.splice(2, 0, 'kernelGpu');
  if (config.readback) phases.push('readback');
  const store = new RecordStore(phases, origin, config.ops);
  const cpuBefore = process.cpuUsage();
  try {
    const outcome = await runOpLoop(setup.op, ctx, config, store, timer, onOp);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      strategy: 'main',
      store,
      wallNs: outcome.wallNs,
      processCpuNs: (cpu.user + cpu.system) * 1000,
      ...(outcome.deviceLost ? { deviceLost: outcome.deviceLost } : {}),
    };
  } finally {
    timer?.destroy();
    setup.dispose();
  }
}
