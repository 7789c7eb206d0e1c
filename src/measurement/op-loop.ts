import type { GpuContext } from '../device/open-device.js';
import { messageOf } from '../errors.js';
import type { GpuTimer } from '../op/gpu-timer.js';
import { emptyTiming, type OpTiming } from '../op/op-timing.js';
import { faultArmed, injectFault } from '../op/fault-injection.js';
import { runTimed, type PreparedOp } from '../op/prepared-op.js';
import { OpTimeoutError, OpWatchdog } from './op-watchdog.js';
import type { RecordStore } from './record-store.js';

export interface LoopCounts {
  readonly warmup: number;
  readonly ops: number;
  /** An op with no answer after this long is recorded as timed out, and the device abandoned. */
  readonly timeoutMs?: number;
}

export interface LoopOutcome {
  /** Wall time of the timed ops, without the timer's read-backs between them. */
  readonly wallNs: number;
  /** Set when the device was lost or abandoned: the loop stops and keeps what it recorded. */
  readonly deviceLost?: string;
}

/**
 * The op loop of one thread: warm-up ops (not recorded), then `ops` timed ops into `store`.
 * An op that throws, or that raises an uncaptured GPU error, is recorded as failed and the loop
 * goes on; a lost device ends the loop with every record taken before it kept, and so does an op
 * past the timeout (its device is abandoned: no more work can go through a queue that is stuck).
 */
export async function runOpLoop(
  op: PreparedOp,
  ctx: GpuContext,
  counts: LoopCounts,
  store: RecordStore,
  timer: GpuTimer | undefined,
  onOp?: (done: number) => void,
): Promise<LoopOutcome> {
  const timing = emptyTiming();
  const watchdog = new OpWatchdog(counts.timeoutMs);
  try {
    return await loop(op, ctx, counts, store, timer, watchdog, timing, onOp);
  } finally {
    watchdog.dispose();
  }
}

async function loop(
  op: PreparedOp,
  ctx: GpuContext,
  counts: LoopCounts,
  store: RecordStore,
  timer: GpuTimer | undefined,
  watchdog: OpWatchdog,
  timing: OpTiming,
  onOp?: (done: number) => void,
): Promise<LoopOutcome> {
  for (let i = 0; i < counts.warmup && !ctx.lost; i++) {
    try {
      await watchdog.watch(runTimed(op, timing));
    } catch (error) {
      // A warm-up op that throws is the timed ops' business; one that never ends stops here.
      if (error instanceof OpTimeoutError) ctx.abandon(error.message);
    }
  }

  // Store indices of the ops whose GPU times sit in the timer's slots, in slot order.
  const pending: number[] = [];
  const assignGpuTimes = async (): Promise<void> => {
    const durations = await timer?.flush();
    pending.forEach((index, slot) => {
      if (store.status(index) === 'ok') store.set('kernelGpu', index, durations?.[slot] ?? NaN);
    });
    pending.length = 0;
  };

  let flushNs = 0n;
  const loopStart = process.hrtime.bigint();
  for (let i = 0; i < counts.ops; i++) {
    if (ctx.lost) break;
    if (timer?.full) {
      const t = process.hrtime.bigint();
      await assignGpuTimes();
      flushNs += process.hrtime.bigint() - t;
    }
    const errorsBefore = ctx.errors.length;
    const writes = timer?.next();
    let index: number;
    try {
      if (faultArmed) await injectFault(ctx.device);
      await watchdog.watch(runTimed(op, timing, writes));
      index = store.appendTiming(timing);
    } catch (error) {
      index = store.append(process.hrtime.bigint());
      if (error instanceof OpTimeoutError) {
        store.fail(index, 'timeout', error.message);
        ctx.abandon(error.message);
        onOp?.(i + 1);
        break;
      }
      store.fail(index, 'failed', messageOf(error));
    }
    if (writes) pending.push(index);
    const raised = ctx.errors[errorsBefore];
    if (raised && store.status(index) === 'ok')
      store.fail(index, 'failed', `${raised.kind}: ${raised.message}`);
    onOp?.(i + 1);
  }
  const wallNs = Number(process.hrtime.bigint() - loopStart - flushNs);
  if (!ctx.lost) await assignGpuTimes();
  const lost = ctx.lost;
  return lost ? { wallNs, deviceLost: `${lost.reason}: ${lost.message}` } : { wallNs };
}
