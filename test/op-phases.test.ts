import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfileConfig } from '../src/config/profile-config.js';
import type { GpuContext } from '../src/device/open-device.js';
import { KernelRegistry } from '../src/kernels/kernel-registry.js';
import { runOpLoop } from '../src/measurement/op-loop.js';
import { RecordStore } from '../src/measurement/record-store.js';
import { GpuTimer } from '../src/op/gpu-timer.js';
import { emptyTiming } from '../src/op/op-timing.js';
import { setUpOp, withPlan } from '../src/op/op-setup.js';
import { runTimed } from '../src/op/prepared-op.js';
import { kernelSource } from '../src/kernels/kernel-source.js';
import type { ProfileOptions } from '../src/config/profile-config.js';
import { openTestDevice } from './support/device.js';

let ctx: GpuContext;
let registry: KernelRegistry;
beforeAll(async () => {
  ctx = await openTestDevice();
  registry = new KernelRegistry(ctx.device);
});
afterAll(() => ctx.close());

const planned = (options: ProfileOptions) => withPlan(ctx, resolveProfileConfig(options));

describe('an op and its phases on the real device', () => {
  it('times creation, kernel and sync, and the total covers them', async () => {
    const setup = await setUpOp(
      ctx,
      registry,
      await planned({ kernel: 'scale', size: '64K', readback: true }),
    );
    const timing = emptyTiming();
    const before = process.hrtime.bigint();
    await runTimed(setup.op, timing);
    const after = process.hrtime.bigint();
    setup.dispose();
    expect(timing.start >= before && timing.start <= after).toBe(true);
    for (const phase of ['creation', 'kernelCpu', 'sync', 'readback'] as const)
      expect(timing[phase]).toBeGreaterThan(0);
    const sum = timing.creation + timing.kernelCpu + timing.sync + timing.readback;
    expect(timing.total).toBeGreaterThanOrEqual(sum);
    // Only releasing the tensors and the call itself lie outside the phases (generous: 5 ms).
    expect(timing.total - sum).toBeLessThan(5e6);
    expect(timing.total).toBeLessThanOrEqual(Number(after - before));
  });

  it('readback is absent unless asked for', async () => {
    const setup = await setUpOp(ctx, registry, await planned({ kernel: 'noop', size: '1K' }));
    const timing = emptyTiming();
    await setup.op.run(timing);
    setup.dispose();
    expect(Number.isNaN(timing.readback)).toBe(true);
  });

  it('compiles each kernel once per device and dtype', async () => {
    const { plan } = await planned({ kernel: 'add', size: '1K' });
    const source = kernelSource({ kernel: 'add' });
    const [a, b] = await Promise.all([registry.get(source, 'f32', plan), registry.get(source, 'f32', plan)]);
    expect(a).toBe(b);
    expect(await registry.get(source, 'i32', plan)).not.toBe(a);
  });
});

describe('the op loop', () => {
  it('records every timed op, with a GPU time from timestamps, across timer flushes', async () => {
    expect(ctx.info.timestamps).toBe(true);
    const config = await planned({ kernel: 'scale', size: '16K', ops: '12', warmup: '3' });
    const setup = await setUpOp(ctx, registry, config);
    // Four slots force two flushes in the middle of the loop.
    const timer = new GpuTimer(ctx.device, 4);
    const store = new RecordStore(['creation', 'kernelCpu', 'kernelGpu', 'sync'], process.hrtime.bigint());
    const seen: number[] = [];
    const outcome = await runOpLoop(setup.op, ctx, { ops: 12, warmup: 3 }, store, timer, (done) =>
      seen.push(done),
    );
    timer.destroy();
    setup.dispose();
    expect(store.count).toBe(12);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const gpu = Array.from(store.column('kernelGpu'));
    expect(gpu.every((ns) => ns > 0 && ns < 1e9)).toBe(true);
    // Starts are increasing and ops do not overlap on the main thread.
    const starts = Array.from(store.startsNs);
    const totals = Array.from(store.totalsNs);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]).toBeGreaterThanOrEqual((starts[i - 1] ?? 0) + (totals[i - 1] ?? 0));
    expect(outcome.wallNs).toBeGreaterThan(0);
    expect(outcome.deviceLost).toBeUndefined();
  });

  it('a heavier kernel takes longer on the GPU than a lighter one (calibration)', async () => {
    const gpuMedian = async (kernel: string, size: string): Promise<number> => {
      const config = await planned({ kernel, size, ops: '15', warmup: '3' });
      const setup = await setUpOp(ctx, registry, config);
      const timer = new GpuTimer(ctx.device);
      const store = new RecordStore(['creation', 'kernelCpu', 'kernelGpu', 'sync'], 0n);
      await runOpLoop(setup.op, ctx, { ops: 15, warmup: 3 }, store, timer);
      timer.destroy();
      setup.dispose();
      const sorted = Array.from(store.column('kernelGpu')).sort((a, b) => a - b);
      return sorted[sorted.length >> 1] ?? NaN;
    };
    const noop = await gpuMedian('noop', '1K');
    const matmul = await gpuMedian('matmul', '64K');
    // A 256x256 matmul does ~33M multiply-adds; the noop does nothing. The margin is wide on purpose.
    expect(matmul).toBeGreaterThan(5 * noop);
  });

  it('records an op that raises a GPU error as failed and goes on', async () => {
    const config = await planned({ kernel: 'scale', size: '1K', ops: '3', warmup: '0' });
    const setup = await setUpOp(ctx, registry, config);
    const store = new RecordStore(['creation', 'kernelCpu', 'sync'], 0n);
    let calls = 0;
    // The second op submits a command that uses a destroyed buffer: a validation error.
    const faulty = {
      run: async (timing: Parameters<typeof setup.op.run>[0]) => {
        calls++;
        if (calls === 2) {
          const buffer = ctx.device.createBuffer({ size: 4, usage: 8 /* COPY_DST */ | 4 /* COPY_SRC */ });
          buffer.destroy();
          const encoder = ctx.device.createCommandEncoder();
          encoder.clearBuffer(buffer);
          ctx.device.queue.submit([encoder.finish()]);
        }
        return setup.op.run(timing);
      },
    } as unknown as typeof setup.op;
    await runOpLoop(faulty, ctx, { ops: 3, warmup: 0 }, store, undefined);
    setup.dispose();
    // Uncaptured errors arrive asynchronously; give the event loop a turn.
    await new Promise((r) => setTimeout(r, 50));
    expect(store.count).toBe(3);
    expect(store.status(0)).toBe('ok');
    expect(store.status(1)).toBe('failed');
    expect(store.errors.get(1)).toMatch(/destroyed|Destroyed/);
    expect(store.status(2)).toBe('ok');
    ctx.errors.length = 0;
  });
});
