/**
 * The work one op does, as NVBench's benchmarks declare it: bytes its kernels read and write in
 * the GPU's global memory, and arithmetic operations. It turns a time into a rate (bytes and
 * operations per second), and a rate into a share of what the device can do (wgprof peak).
 * Counted as the least traffic the op needs (every input read once, every output written once),
 * not what a cache or a scratch buffer adds: a rate above the device's bandwidth then means the
 * work was declared wrong, never that the memory was faster than it is.
 */

/** One pass's (dispatch's) work. */
export interface PassWork {
  readonly name: string;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Arithmetic operations: floating-point for f32 and f16 tensors, integer ones for u32 and i32. */
  readonly flops: number;
}

/** Who said what the op does. */
export type WorkSource = 'kernel' | '--work' | 'op module';

export interface OpWork {
  /** Bytes read plus bytes written per op (what a bandwidth counts). */
  readonly bytes: number;
  readonly flops: number;
  readonly from: WorkSource;
  /** The op's passes, where the kernel declares them (a built-in with several dispatches). */
  readonly passes?: readonly PassWork[];
  /** For `--work`, the expressions as given. */
  readonly expressions?: Readonly<Record<string, string>>;
}

/** The op's work as the sum of its passes'. */
export function workOfPasses(passes: readonly PassWork[], from: WorkSource): OpWork {
  let bytes = 0;
  let flops = 0;
  for (const p of passes) {
    bytes += p.bytesRead + p.bytesWritten;
    flops += p.flops;
  }
  return { bytes, flops, from, ...(passes.length > 1 ? { passes } : {}) };
}

/**
 * Operations per byte moved: against the device's ridge point (its FLOP/s over its bytes/s), it
 * says which limit binds. Undefined for an op that moves no memory.
 */
export function arithmeticIntensity(work: Pick<OpWork, 'bytes' | 'flops'>): number | undefined {
  return work.bytes > 0 ? work.flops / work.bytes : undefined;
}

/** True when the op declares any work at all (the noop declares none: it has no rate). */
export function hasWork(work: OpWork | undefined): work is OpWork {
  return work !== undefined && (work.bytes > 0 || work.flops > 0);
}
