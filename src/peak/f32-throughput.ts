import { gpuError } from '../errors.js';
import { BufferUsage } from '../device/webgpu-globals.js';
import { batchCounts, scaledIterations } from './peak-plan.js';
import { nowNs, peakPipeline, submitAndWait, wallSlopes, type PeakContext } from './peak-device.js';
import { rateOf } from './peak-limits.js';
import { FMAS_PER_ITERATION, fmaShader, peakWorkgroupSize } from './peak-shaders.js';
import type { PeakLimit } from './peak-types.js';

/** Invocations per dispatch: 2^20, enough to fill a large GPU (an H100 holds about 270,000 at once). */
export const FMA_INVOCATIONS = 1 << 20;

/** The loop count the calibration starts from; it grows 16-fold until a dispatch takes 1 ms. */
const START_ITERATIONS = 8;
const CALIBRATED_ABOVE_NS = 1e6;

/** What the arithmetic measurement gives: the limit, and the kernel's shape for the result. */
export interface FlopsOutcome {
  readonly limit: PeakLimit;
  readonly iterations: number;
  readonly invocations: number;
}

/**
 * f32 arithmetic throughput: a dispatch of FMA_INVOCATIONS invocations, each running 8
 * independent FMA chains for a loop whose count is calibrated so a dispatch takes about the
 * budget's dispatchNs; FLOP = 2 per FMA. Timed by GPU timestamps where the device has them,
 * else by the slope of k dispatches per submit.
 */
export async function measureF32Flops(ctx: PeakContext): Promise<FlopsOutcome> {
  const { device, budget, timer } = ctx;
  ctx.step('f32 arithmetic');
  const size = peakWorkgroupSize(device.limits);
  const groups = Math.ceil(FMA_INVOCATIONS / size);
  if (groups > device.limits.maxComputeWorkgroupsPerDimension)
    throw gpuError(
      `wgprof peak needs ${groups} workgroups in one dimension; this device allows ${device.limits.maxComputeWorkgroupsPerDimension}`,
    );
  const invocations = groups * size;
  const pipeline = await peakPipeline(device, 'fma', fmaShader(size));
  const params = device.createBuffer({
    label: 'wgprof peak fma params',
    size: 16,
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  const out = device.createBuffer({
    label: 'wgprof peak fma out',
    size: invocations * 4,
    usage: BufferUsage.STORAGE,
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: params } },
      { binding: 1, resource: { buffer: out } },
    ],
  });
  const setIterations = (iterations: number): void => {
    const data = new DataView(new ArrayBuffer(16));
    data.setUint32(0, iterations, true);
    data.setFloat32(4, 0.9999, true);
    data.setFloat32(8, 0.0001, true);
    device.queue.writeBuffer(params, 0, data.buffer);
  };
  const record = (pass: GPUComputePassEncoder): void => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups);
  };
  const encode = (encoder: GPUCommandEncoder, k: number): void => {
    for (let i = 0; i < k; i++) {
      const pass = encoder.beginComputePass();
      record(pass);
      pass.end();
    }
  };
  // One dispatch's time: the pass's own where the device times passes, else submit to completion.
  const timeOne = async (): Promise<number> => {
    if (timer) {
      const [ns] = await timer.time(record, 1);
      if (ns !== undefined) return ns;
    }
    const encoder = device.createCommandEncoder();
    encode(encoder, 1);
    return submitAndWait(device, [encoder.finish()]);
  };
  try {
    let iterations = START_ITERATIONS;
    setIterations(iterations);
    await timeOne();
    let tookNs = await timeOne();
    for (let grow = 0; grow < 5 && tookNs < CALIBRATED_ABOVE_NS; grow++) {
      iterations *= 16;
      setIterations(iterations);
      tookNs = await timeOne();
    }
    iterations = scaledIterations(iterations, tookNs, budget.dispatchNs);
    setIterations(iterations);
    const untilNs = nowNs() + budget.flopsMs * 1e6;
    let durations: number[] = [];
    if (timer) {
      await timeOne();
      while (!ctx.stop() && (durations.length < budget.minSamples || nowNs() < untilNs)) {
        durations.push(...(await timer.time(record, 1)));
        if (durations.length > 10_000) break;
      }
    } else {
      const oneNs = await timeOne();
      durations = await wallSlopes(device, encode, batchCounts(oneNs, budget.batchNs), {
        minRounds: budget.minSamples,
        untilNs,
        stop: ctx.stop,
      });
    }
    const flop = 2 * FMAS_PER_ITERATION * iterations * invocations;
    const rate = rateOf(flop, durations);
    const method = `8 independent FMA chains per invocation, ${invocations.toLocaleString('en-US')} invocations x ${iterations} iterations x ${FMAS_PER_ITERATION} FMAs, ${timer ? 'each pass timed by its GPU timestamps' : 'the slope of wall time over k dispatches per submit'}; 2 FLOP per FMA`;
    return {
      limit: rate
        ? { ...rate, unit: 'FLOP/s', method, atInvocations: invocations }
        : { value: 0, low: 0, high: 0, unit: 'FLOP/s', method, atInvocations: invocations, samples: 0 },
      iterations,
      invocations,
    };
  } finally {
    params.destroy();
    out.destroy();
  }
}
