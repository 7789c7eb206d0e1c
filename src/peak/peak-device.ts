import { gpuError } from '../errors.js';
import { TimestampSlots } from '../device/timestamp-slots.js';
import { TIMING } from '../device/timestamp-check.js';
import { slopeOf } from './peak-limits.js';
import type { PeakBudget } from './peak-plan.js';

/**
 * What the peak measurements share on their device: buffers and pipelines made inside error
 * scopes (a size the device cannot hold is an answer, not a crash), the monotonic clock, and the
 * timed pass.
 */

/** What every peak measurement is given: its device, its budget, its timer, and when to stop. */
export interface PeakContext {
  readonly device: GPUDevice;
  readonly budget: PeakBudget;
  /** Absent when the device has no timestamp-query: kernels are then timed by wall-clock slopes. */
  readonly timer: PassTimer | undefined;
  /** True once the user asked to stop (Ctrl-C). */
  readonly stop: () => boolean;
  /** Names the step that starts now, for the progress line. */
  readonly step: (label: string) => void;
}

/** Now on the process's monotonic clock, ns. */
export const nowNs = (): number => Number(process.hrtime.bigint());

/**
 * `make()` inside out-of-memory and validation scopes: its value, or the first error's message.
 * dawn.node's buffers are created synchronously, and the scopes say whether they exist.
 */
export async function scoped<T>(device: GPUDevice, make: () => T): Promise<{ value: T } | { error: string }> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const value = make();
  const [validation, memory] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
  const error = validation ?? memory;
  return error ? { error: error.message.split('\n')[0] ?? 'unknown error' } : { value };
}

/** A compute pipeline of `code`, or a GPU error (exit 5) that names it: wgprof's own kernels must compile. */
export async function peakPipeline(
  device: GPUDevice,
  label: string,
  code: string,
): Promise<GPUComputePipeline> {
  const made = await scoped(device, () =>
    device.createComputePipeline({
      label,
      layout: 'auto',
      compute: { module: device.createShaderModule({ label, code }), entryPoint: 'main' },
    }),
  );
  if ('error' in made)
    throw gpuError(`wgprof peak's ${label} kernel was refused by the device: ${made.error}`);
  return made.value;
}

/** Submits `buffers` and waits for the queue: ns from the submit to the end of the wait. */
export async function submitAndWait(device: GPUDevice, buffers: GPUCommandBuffer[]): Promise<number> {
  const start = nowNs();
  device.queue.submit(buffers);
  await device.queue.onSubmittedWorkDone();
  return nowNs() - start;
}

/** The passes of a timed batch: each records its work into the pass it is given. */
export type RecordPass = (pass: GPUComputePassEncoder) => void;

/**
 * GPU timestamps of compute passes, a slot pair per pass (device/timestamp-slots.ts), read back
 * after each batch. One per run: a thread may hold few query sets.
 */
export class PassTimer {
  private readonly slots: TimestampSlots;

  private constructor(
    private readonly device: GPUDevice,
    readonly capacity: number,
  ) {
    this.slots = new TimestampSlots(device, capacity).prepare();
  }

  /** A timer when the device has timestamp-query and its query set could be made; otherwise undefined. */
  static async open(device: GPUDevice, capacity = 64): Promise<PassTimer | undefined> {
    if (!device.features.has('timestamp-query')) return undefined;
    const timer = new PassTimer(device, capacity);
    if (await timer.slots.ready()) return timer;
    timer.destroy();
    return undefined;
  }

  /**
   * Runs `passes` passes of `record` in one submit, each timed, and returns their GPU durations,
   * ns; a reading that fails its checks (zero, reversed) is left out.
   */
  async time(record: RecordPass, passes: number): Promise<number[]> {
    const encoder = this.device.createCommandEncoder();
    for (let i = 0; i < Math.min(passes, this.capacity); i++) {
      const slot = this.slots.next();
      const pass = encoder.beginComputePass(slot ? { timestampWrites: slot.writes } : {});
      record(pass);
      pass.end();
    }
    this.device.queue.submit([encoder.finish()]);
    const { ns, codes } = await this.slots.read();
    return [...ns].filter((_, i) => codes[i] === TIMING.timed);
  }

  destroy(): void {
    this.slots.destroy();
  }
}

/**
 * Per round, the slope of wall time against k, k ops encoded into one command buffer, submitted
 * and awaited: one op's time, ns, with the submit's floor (the same for every k) in the intercept.
 * Each round runs every k once, in an order rotated from the round before, so that a drift
 * touches every k alike.
 */
export async function wallSlopes(
  device: GPUDevice,
  encode: (encoder: GPUCommandEncoder, k: number) => void,
  counts: readonly number[],
  rounds: { readonly minRounds: number; readonly untilNs: number; readonly stop: () => boolean },
): Promise<number[]> {
  const slopes: number[] = [];
  for (let round = 0; round < 10_000; round++) {
    if (rounds.stop() || (round >= rounds.minRounds && nowNs() >= rounds.untilNs)) break;
    const ks = counts.map((_, i) => counts[(i + round) % counts.length] ?? 1);
    const times: number[] = [];
    for (const k of ks) {
      const encoder = device.createCommandEncoder();
      encode(encoder, k);
      times.push(await submitAndWait(device, [encoder.finish()]));
    }
    slopes.push(slopeOf(ks, times));
  }
  return slopes;
}
