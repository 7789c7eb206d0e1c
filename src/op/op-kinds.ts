import type { RunConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { openKernelOp } from './kernel-op.js';
import type { Op, OpenOp } from './op.js';

/**
 * Every kind of op wgprof can time, one file each, one line each here. `kernel` is one WGSL
 * kernel in one pass: a built-in (a preset of uniforms, shapes and dispatches) or the user's
 * --kernel FILE.wgsl, both planned the same way from the shader's reflection.
 */
const OP_KINDS = {
  kernel: (ctx, config) => {
    if (!config.plan) throw new Error(`'${config.kernel}' has no kernel plan`);
    return openKernelOp(ctx, config);
  },
  // Loaded only for an op module: every worker imports this file, and a kernel's need not load
  // the instrumentation.
  module: async (ctx, config) => {
    if (!config.op) throw new Error(`'${config.kernel}' is not an op module`);
    const { openModuleOp } = await import('./module-op.js');
    return openModuleOp(ctx, config.op, config.gpuTime?.mode !== 'none');
  },
} as const satisfies Record<string, OpenOp>;

/**
 * Opens the run's op on this thread's device. Every config names a kernel today; a new kind adds
 * its file, its line above, and the config field that chooses it here.
 */
export function openOp(ctx: GpuContext, config: RunConfig): Promise<Op> {
  return config.op ? OP_KINDS.module(ctx, config) : OP_KINDS.kernel(ctx, config);
}
