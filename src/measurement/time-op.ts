import type { Op } from '../op/op.js';
import type { RecordStore } from './record-store.js';

const now = (): bigint => process.hrtime.bigint();

/** One op's readings, ns, at these slots of a Float64Array reused from op to op. */
export const READING = { total: 0, creation: 1, kernelCpu: 2, sync: 3, readback: 4 } as const;

export function newReadings(): Float64Array {
  return new Float64Array(5);
}

/**
 * Runs one op with a clock reading at each phase boundary, into `readings`, and returns when it
 * began. The total runs from the op's start to after its release, so whatever the op does outside
 * its phases (releasing its tensors, the promise machinery) shows up as the record's leftover
 * instead of vanishing. Allocates nothing of its own. Readings rather than a record: an op that
 * answers after its timeout must not add a record behind the one that says it timed out.
 */
export async function timeOp(
  op: Op,
  readings: Float64Array,
  timestampWrites?: GPUComputePassTimestampWrites,
): Promise<bigint> {
  const start = now();
  let created: bigint;
  let submitted: bigint;
  let synced: bigint;
  let end: bigint;
  try {
    const creating = op.create();
    if (creating) await creating;
    created = now();
    const dispatching = op.dispatch(timestampWrites);
    if (dispatching) await dispatching;
    submitted = now();
    await op.sync();
    synced = now();
    end = synced;
    if (op.readsBack) {
      await op.readBack();
      end = now();
    }
  } finally {
    const releasing = op.release();
    if (releasing) await releasing;
  }
  readings[READING.total] = Number(now() - start);
  readings[READING.creation] = Number(created - start);
  readings[READING.kernelCpu] = Number(submitted - created);
  readings[READING.sync] = Number(synced - submitted);
  readings[READING.readback] = op.readsBack ? Number(end - synced) : NaN;
  return start;
}

/** Appends the op that began at `start` with these readings and its timing code; returns its index. */
export function appendReadings(
  store: RecordStore,
  start: bigint,
  readings: Float64Array,
  timing: number,
): number {
  return store.appendOp(
    start,
    readings[READING.total] ?? NaN,
    readings[READING.creation] ?? NaN,
    readings[READING.kernelCpu] ?? NaN,
    readings[READING.sync] ?? NaN,
    readings[READING.readback] ?? NaN,
    timing,
  );
}

/**
 * The same op with the same calls and awaits and no readings and no record: what the op costs
 * without wgprof, for the bench's recording rows.
 */
export async function runBare(op: Op): Promise<void> {
  try {
    const creating = op.create();
    if (creating) await creating;
    const dispatching = op.dispatch(undefined);
    if (dispatching) await dispatching;
    await op.sync();
    if (op.readsBack) await op.readBack();
  } finally {
    const releasing = op.release();
    if (releasing) await releasing;
  }
}
