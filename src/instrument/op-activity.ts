/**
 * What one op did on the GPU, as wgprof's instrumentation of the WebGPU calls saw it: how many
 * calls of each kind it made, and each compute pass's duration on the GPU. "What the op did"
 * beside "how long it took": an op whose time moves because it did more work shows it here.
 */

/** Counted per op, in the order tables show them. */
export const COUNT_KEYS = [
  'submits',
  'submitsUnwaited',
  'passes',
  'dispatches',
  'buffersCreated',
  'bytesUploaded',
  'buffersLeft',
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];
export type OpCounts = Record<CountKey, number>;

export const COUNT_LABEL: Readonly<Record<CountKey, string>> = {
  submits: 'submits',
  submitsUnwaited: 'submits never waited for',
  passes: 'compute passes',
  dispatches: 'dispatches',
  buffersCreated: 'buffers created',
  bytesUploaded: 'bytes uploaded',
  buffersLeft: 'buffers left alive',
};

export const COUNT_MEANING: Readonly<Record<CountKey, string>> = {
  submits: 'queue.submit calls',
  submitsUnwaited:
    'queue.submit calls after which no onSubmittedWorkDone or mapAsync on their device resolved before the op ended',
  passes: 'beginComputePass calls',
  dispatches: 'dispatchWorkgroups and dispatchWorkgroupsIndirect calls',
  buffersCreated: 'createBuffer calls',
  bytesUploaded: 'bytes given to queue.writeBuffer and writeTexture, and buffers mapped at creation',
  buffersLeft: 'buffers the op created and had not destroyed when its release ended',
};

/** One compute pass of an op: its name (its label, else its pipelines' labels) and GPU time. */
export interface PassTime {
  readonly name: string;
  /** ns; NaN when the pass was not timed (no timestamp-query, or it brought its own), or its reading failed. */
  readonly ns: number;
  /**
   * How its timing went (device/timestamp-check.ts's TIMING): untimed, a reading that
   * passed, or why it failed. Absent in activity recorded before the checks (read as passed
   * where `ns` is a number).
   */
  readonly code?: number;
}

export interface OpActivity {
  readonly counts: OpCounts;
  readonly passes: readonly PassTime[];
  /** The sum of the passes' times, ns; NaN unless every pass was timed (and there was one). */
  readonly gpuNs: number;
}

export function zeroCounts(): OpCounts {
  return {
    submits: 0,
    submitsUnwaited: 0,
    passes: 0,
    dispatches: 0,
    buffersCreated: 0,
    bytesUploaded: 0,
    buffersLeft: 0,
  };
}

/** The op's GPU time from its passes': a sum only when every one of them was timed. */
export function gpuTimeOf(passes: readonly PassTime[]): number {
  if (passes.length === 0) return Number.NaN;
  let sum = 0;
  for (const p of passes) sum += p.ns;
  return sum;
}
