import { median } from '../statistics/index.js';
import { batchCounts, sizeBudgetMs } from './peak-plan.js';
import { nowNs, peakPipeline, scoped, submitAndWait, wallSlopes, type PeakContext } from './peak-device.js';
import { rateOf } from './peak-limits.js';
import { peakWorkgroupSize, streamShader } from './peak-shaders.js';
import { fillBuffer, runSweep, SWEEP_USAGE, type SizeOutcome } from './peak-sweep.js';
import type { PeakSweepPoint } from './peak-types.js';

/** How the stream bandwidth is measured, for the result. */
export function streamMethod(timestamps: boolean): string {
  return timestamps
    ? 'compute kernel dst[i] = src[i] (vec4<f32>), each pass timed by its GPU timestamps; bytes read + written'
    : 'compute kernel dst[i] = src[i] (vec4<f32>), k passes per submit; a pass = the slope of wall time over k (no timestamp-query); bytes read + written';
}

/** The largest count of workgroups in one dimension that every device allows. */
const MAX_GROUPS_X = 65_535;

/** Workgroups for `bytes` of vec4<f32> at `size` invocations each, as a 2-D grid (x, y). */
export function streamGrid(bytes: number, size: number): [number, number] {
  const groups = Math.ceil(bytes / 16 / size);
  const x = Math.min(groups, MAX_GROUPS_X);
  return [x, Math.ceil(groups / x)];
}

/**
 * A compute kernel's streaming bandwidth over `sizes`: it reads one buffer and writes another,
 * 16 bytes each way per invocation; bytes read plus bytes written per second. Timed by the pass's
 * GPU timestamps where the device has them, else by the slope of k passes per submit.
 */
export async function streamSweep(ctx: PeakContext, sizes: readonly number[]): Promise<PeakSweepPoint[]> {
  const size = peakWorkgroupSize(ctx.device.limits);
  const pipeline = await peakPipeline(ctx.device, 'stream', streamShader(size));
  return runSweep(ctx, 'stream', sizes, (bytes) => measureStream(ctx, pipeline, size, bytes));
}

async function measureStream(
  ctx: PeakContext,
  pipeline: GPUComputePipeline,
  workgroupSize: number,
  bytes: number,
): Promise<SizeOutcome | undefined> {
  const { device, budget, timer } = ctx;
  const made = await scoped(device, () => {
    const src = device.createBuffer({ label: 'wgprof peak stream src', size: bytes, usage: SWEEP_USAGE });
    const dst = device.createBuffer({ label: 'wgprof peak stream dst', size: bytes, usage: SWEEP_USAGE });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: src } },
        { binding: 1, resource: { buffer: dst } },
      ],
    });
    return { src, dst, bindGroup };
  });
  if ('error' in made) return undefined;
  const { src, dst, bindGroup } = made.value;
  const [x, y] = streamGrid(bytes, workgroupSize);
  const record = (pass: GPUComputePassEncoder): void => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
  };
  const encode = (encoder: GPUCommandEncoder, k: number): void => {
    for (let i = 0; i < k; i++) {
      const pass = encoder.beginComputePass();
      record(pass);
      pass.end();
    }
  };
  try {
    fillBuffer(device, src, bytes);
    // The first passes pay for the fill and Dawn's lazy zeroing of dst: untimed.
    for (let i = 0; i < 2; i++) {
      const encoder = device.createCommandEncoder();
      encode(encoder, 1);
      await submitAndWait(device, [encoder.finish()]);
    }
    const untilNs = nowNs() + sizeBudgetMs(bytes, budget) * 1e6;
    let durations: number[];
    if (timer) {
      durations = await timer.time(record, 1);
      const firstNs = durations.length > 0 ? median(durations) : budget.batchNs;
      const perBatch = Math.max(1, Math.min(16, Math.round(budget.batchNs / Math.max(firstNs, 1))));
      while (!ctx.stop() && (durations.length < budget.minSamples || nowNs() < untilNs)) {
        durations.push(...(await timer.time(record, perBatch)));
        if (durations.length > 100_000) break;
      }
    } else {
      const encoder = device.createCommandEncoder();
      encode(encoder, 1);
      const oneNs = await submitAndWait(device, [encoder.finish()]);
      durations = await wallSlopes(device, encode, batchCounts(oneNs, budget.batchNs), {
        minRounds: budget.minSamples,
        untilNs,
        stop: ctx.stop,
      });
    }
    const rate = rateOf(2 * bytes, durations);
    return rate ? { point: { bytes, ...rate }, opNs: median(durations) } : undefined;
  } finally {
    src.destroy();
    dst.destroy();
  }
}
