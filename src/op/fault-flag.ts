/**
 * Whether an injected fault (WGPROF_INJECT_FAULT, op/fault-injection.ts) has fired, shared by
 * the threads of one strategy: one Int32, set to 1 by the thread in which it fired. A worker that
 * a strategy starts after that, to replace one the fault took down, reads it as it starts and
 * leaves the fault alone, so that one fault is one failure and the rest of the run is measured.
 * It loads nothing (worker entries read it before they load dawn.node).
 */
export function newFaultFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

export function faultFired(flag: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(flag), 0) === 1;
}

export function markFaultFired(flag: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(flag), 0, 1);
}

/** What a worker is told of its strategy's fault: the shared flag, and whether it was set before the worker began. */
export interface FaultShare {
  readonly flag: SharedArrayBuffer;
  readonly firedBefore: boolean;
}

/** The share of a worker that has just begun, from the flag its strategy gave it (none: a worker of its own). */
export function faultShareAtStart(flag: SharedArrayBuffer | undefined): FaultShare | undefined {
  return flag ? { flag, firedBefore: faultFired(flag) } : undefined;
}
