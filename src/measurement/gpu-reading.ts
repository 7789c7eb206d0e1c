import { TIMING, withinSpan } from '../device/timestamp-check.js';
import type { OpActivity } from '../instrument/op-activity.js';
import type { RecordStore } from './record-store.js';

/**
 * An op's GPU reading as the op runner keeps it: checked against the CPU span the op's passes
 * ran in (device/timestamp-check.ts has the checks of the stamps themselves).
 */

/**
 * The CPU span a timed op's pass ran within: from the submit's start (kernel CPU) to the end of
 * the wait (sync); a pass longer than that reading is not true.
 */
export function gpuSpan(store: RecordStore, index: number): number {
  return store.get('kernelCpu', index) + store.get('sync', index);
}

/** A reading's code after the span check, and its duration where it passed (NaN otherwise). */
export function checkedReading(code: number, ns: number, spanNs: number): { code: number; ns: number } {
  if (code !== TIMING.timed) return { code, ns: NaN };
  if (!withinSpan(ns, spanNs)) return { code: TIMING.outOfSpan, ns: NaN };
  return { code, ns };
}

/**
 * An op module's op from its passes: its GPU time where every pass was timed and passed, its
 * first failed pass's code otherwise; a pass left untimed (it brought its own timestamps, or
 * its device's query set was still being made) leaves the op untimed by wgprof's checks.
 */
export function opReading(activity: OpActivity, spanNs: number): { code: number; ns: number } {
  let code: number = TIMING.timed;
  for (const pass of activity.passes) {
    const passCode = pass.code ?? (Number.isNaN(pass.ns) ? TIMING.untimed : TIMING.timed);
    if (passCode === TIMING.timed) continue;
    if (passCode === TIMING.untimed) return { code: TIMING.timed, ns: NaN };
    code = passCode;
    break;
  }
  if (activity.passes.length === 0) return { code: TIMING.timed, ns: NaN };
  return checkedReading(code, activity.gpuNs, spanNs);
}
