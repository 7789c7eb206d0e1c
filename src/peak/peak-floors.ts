import { gpuError } from '../errors.js';
import { BufferUsage, MapMode } from '../device/webgpu-globals.js';
import { nowNs, peakPipeline, type PeakContext } from './peak-device.js';
import { medianWithCi } from './peak-limits.js';
import { EMPTY_SHADER } from './peak-shaders.js';
import type { PeakLimit } from './peak-types.js';

/** Rounds run before the timed ones: the first ops of a device pay for its first command buffers. */
const WARMUP_ROUNDS = 20;

/** What is read back, and checked: a read-back that returns anything else measured nothing. */
const SENTINEL = 0x5eed_1234;

export interface Floors {
  readonly submitFloor: PeakLimit;
  readonly dispatchFloor: PeakLimit;
  readonly readbackFloor: PeakLimit;
}

const METHODS = {
  submitFloor: 'queue.submit([]), then await onSubmittedWorkDone; wall clock',
  dispatchFloor:
    'encode one workgroup of an empty kernel in its own pass, submit, await onSubmittedWorkDone; wall clock',
  readbackFloor: 'copy 4 bytes to a MAP_READ buffer, submit, mapAsync, read, unmap; wall clock',
} as const;

/**
 * The floors that bound a small op, each a median over many repetitions with its 95% CI: an
 * empty submit awaited, the smallest dispatch, a 4-byte read-back. They run in rounds of one of
 * each, in an order rotated every round, so that a drift touches all three alike.
 */
export async function measureFloors(ctx: PeakContext): Promise<Floors> {
  const { device, budget } = ctx;
  ctx.step('floors');
  const pipeline = await peakPipeline(device, 'empty', EMPTY_SHADER);
  const source = device.createBuffer({
    label: 'wgprof peak readback src',
    size: 4,
    usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
  });
  const target = device.createBuffer({
    label: 'wgprof peak readback dst',
    size: 4,
    usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(source, 0, new Uint32Array([SENTINEL]));
  const submit = async (): Promise<number> => {
    const start = nowNs();
    device.queue.submit([]);
    await device.queue.onSubmittedWorkDone();
    return nowNs() - start;
  };
  const dispatch = async (): Promise<number> => {
    const start = nowNs();
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.dispatchWorkgroups(1);
    pass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return nowNs() - start;
  };
  let read = SENTINEL;
  const readback = async (): Promise<number> => {
    const start = nowNs();
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, target, 0, 4);
    device.queue.submit([encoder.finish()]);
    await target.mapAsync(MapMode.READ);
    try {
      read = new Uint32Array(target.getMappedRange())[0] ?? 0;
    } finally {
      target.unmap();
    }
    return nowNs() - start;
  };
  const ops = [submit, dispatch, readback];
  const times: number[][] = [[], [], []];
  try {
    const untilNs = nowNs() + budget.floorsMs * 1e6;
    for (let round = 0; round < WARMUP_ROUNDS + budget.floorRounds; round++) {
      if (ctx.stop() || (round >= WARMUP_ROUNDS + budget.minSamples && nowNs() >= untilNs)) break;
      for (let i = 0; i < ops.length; i++) {
        const which = (i + round) % ops.length;
        const ns = await (ops[which] as () => Promise<number>)();
        if (round >= WARMUP_ROUNDS) times[which]?.push(ns);
      }
      if (read !== SENTINEL)
        throw gpuError(
          `wgprof peak's 4-byte read-back returned ${read}, not the ${SENTINEL} written: this device's copies do no work`,
        );
    }
  } finally {
    source.destroy();
    target.destroy();
  }
  const floor = (k: 0 | 1 | 2, name: keyof typeof METHODS): PeakLimit => {
    const m = medianWithCi(times[k] ?? []);
    return { ...(m ?? { value: 0, low: 0, high: 0, samples: 0 }), unit: 'ns', method: METHODS[name] };
  };
  return {
    submitFloor: floor(0, 'submitFloor'),
    dispatchFloor: floor(1, 'dispatchFloor'),
    readbackFloor: floor(2, 'readbackFloor'),
  };
}
