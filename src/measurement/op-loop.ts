import type { GpuContext } from '../device/open-device.js';
import { messageOf } from '../errors.js';
import type { GpuTimer } from '../op/gpu-timer.js';
import { emptyTiming } from '../op/op-timing.js';
import { faultArmed, injectFault } from '../op/fault-injection.js';
import { runTimed, type PreparedOp } from '../op/prepared-op.js';
import type { RecordStore } from './record-store.js';

export interface LoopCounts {
  readonly warmup: number;
  readonly ops: number;
  /** An op with no answer after this long is recorded as timed out, and the device abandoned. */
  readonly timeoutMs?: number;
}

export const TIMED_OUT = Symbol('timed out');

/** The op, or TIMED_OUT if it has not settled within `ms` (the op itself is left to its fate). */
export async function withTimeout<T>(op: Promise<T>, ms: number | undefined): Promise<T | typeof TIMED_OUT> {
  if (ms === undefined) return op;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([op, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function stuckMessage(ms: number): string {
  return (
    `an op did not finish within ${ms} ms (--op-timeout); a GPU queue that does not finish takes no ` +
    'more work, so the device was abandoned'
  );
}

export interface LoopOutcome {
  /** Wall time of the timed ops, without the timer's read-backs between them. */
  readonly wallNs: number;
  /** Set when the device was lost: the loop stops and keeps what it recorded. */
  readonly deviceLost?: string;
}

/**
 * The op loop of one thread: warm-up ops (not recorded), then `ops` timed ops into `store`.
 * An op that throws, or that raises an uncaptured GPU error, is recorded as failed and the loop
 * goes on; a lost device ends the loop with every record taken before it kept.
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
  for (let i = 0; i < counts.warmup && !ctx.lost; i++) {
    if ((await withTimeout(runTimed(op, timing), counts.timeoutMs)) === TIMED_OUT)
      ctx.abandon(stuckMessage(counts.timeoutMs ?? 0));
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
      const opStart = process.hrtime.bigint();
      if ((await withTimeout(runTimed(op, timing, writes), counts.timeoutMs)) === TIMED_OUT) {
        const message = stuckMessage(counts.timeoutMs ?? 0);
        index = store.append(opStart);
        store.fail(index, 'timeout', message);
        ctx.abandon(message);
        onOp?.(i + 1);
        break;
      }
      index = store.appendTiming(timing);
    } catch (error) {
      index = store.append(process.hrtime.bigint());
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
