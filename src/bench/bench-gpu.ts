import { deviceOptions } from '../config/device-options.js';
import { resolveProfileConfig, type PlannedConfig, type ProfileOptions } from '../config/profile-config.js';
import { openDevice } from '../device/open-device.js';
import { withPlan } from '../op/preflight.js';
import { expandScenarios } from '../strategies/scenario.js';
import { createStrategy } from '../strategies/registry.js';
import type { Strategy, StrategyContext } from '../strategies/strategy.js';

/** The op every GPU row of the bench runs: the `noop` kernel on 1K f32, wgprof's smallest op. */
export const NOOP_OP: ProfileOptions = { kernel: 'noop', size: '1K' };

/** A device opened and an op planned on it, as the measuring process does before a profile. */
export interface BenchGpu {
  readonly context: StrategyContext & { readonly config: PlannedConfig };
  close(): void;
}

export async function openBenchGpu(options: ProfileOptions): Promise<BenchGpu> {
  const given = resolveProfileConfig(options);
  const gpu = await openDevice(deviceOptions(given));
  try {
    const config = await withPlan(gpu, given);
    return {
      context: { config, origin: process.hrtime.bigint(), gpu },
      close: () => {
        gpu.close();
      },
    };
  } catch (error) {
    gpu.close();
    throw error;
  }
}

/** wgprof's real strategies for the run's scenarios, in the order a profile visits them. */
export function benchStrategies(bench: BenchGpu): Strategy[] {
  const { config } = bench.context;
  return expandScenarios(config.strategies, config.handoffs, config.poolSizes).map((s) =>
    createStrategy(s, bench.context),
  );
}

/** Closes every strategy, then the device, even when one close fails. */
export async function closeAll(strategies: readonly Strategy[], bench: BenchGpu): Promise<void> {
  try {
    for (const strategy of strategies) await strategy.close();
  } finally {
    bench.close();
  }
}
