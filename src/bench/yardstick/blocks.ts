/**
 * The bare program's split of its counted ops into untimed and timed ones, and the figures of each
 * side: pure functions, apart from bare-op.ts so that tests can import them without opening a
 * device. Like bare-op.ts it imports nothing at all of wgprof (test/bench-yardstick.test.ts keeps
 * it so): the yardstick's rule of what is timed is written here again, not borrowed.
 *
 * Why blocks: a pass's timestamp writes cost the op they time (webgpu-facts.md: 1.43x for a
 * 1,024-float op on lavapipe), and a user's program without wgprof writes none. So the counted ops
 * run in alternating blocks, untimed then timed (or timed then untimed, `first`), `block` ops each:
 * the CPU phases and total come from the untimed ops, as a user's loop runs them; the GPU time
 * from the timed ops' passes; and the program's own cost of timing is the timed ops' median total
 * minus the untimed ops'. Blocks rather than one-by-one alternation keep each kind of op running as
 * it would in a loop of its own, the way the facts' bare loop measured it (25-op blocks).
 */

/** Ops per block unless told otherwise (the 25 of the bare loop in webgpu-facts.md). */
export const DEFAULT_BLOCK = 25;

/** Which kind of op the first block holds. */
export type FirstBlock = 'untimed' | 'timed';
export const FIRST_BLOCKS: readonly FirstBlock[] = ['untimed', 'timed'];

/**
 * The block length for `ops` counted ops: `requested`, but at most half the ops (rounded down) so
 * that with 2 ops or more both kinds run, and at least 1.
 */
export function blockLength(ops: number, requested: number): number {
  return Math.max(1, Math.min(requested, Math.floor(ops / 2)));
}

/** Whether counted op `k` (from 0) is timed: blocks of `block` ops alternate, `first` leading. */
export function isTimedInBlocks(k: number, block: number, first: FirstBlock): boolean {
  const inFirstBlockKind = Math.floor(k / block) % 2 === 0;
  return inFirstBlockKind === (first === 'timed');
}

/**
 * Whether warm-up op `k` is timed: warm-up ops alternate one by one, so that both kinds of op have
 * run (and their JavaScript been compiled) before the first counted one, whatever `block` is.
 */
export function isTimedWarmup(k: number): boolean {
  return k % 2 === 1;
}

/** The median of the finite values; null when there is none. */
export function median(values: readonly number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** One op's phases on the CPU, ns. */
export interface OpTimes {
  readonly creation: number;
  readonly kernelCpu: number;
  readonly sync: number;
  readonly total: number;
}

export type CpuPhase = keyof OpTimes;
export const CPU_PHASES: readonly CpuPhase[] = ['creation', 'kernelCpu', 'sync', 'total'];

/** Each side's phase medians, ns (null where the side ran no op), and the cost of timing. */
export interface SplitMedians {
  readonly untimed: Readonly<Record<CpuPhase, number | null>>;
  readonly timed: Readonly<Record<CpuPhase, number | null>>;
  readonly untimedOps: number;
  readonly timedOps: number;
  /** The timed ops' median total minus the untimed ops', ns; null without both. */
  readonly costNs: number | null;
}

/** Splits the counted ops by `timed[k]` and takes each side's medians. */
export function splitMedians(ops: readonly OpTimes[], timed: readonly boolean[]): SplitMedians {
  if (timed.length !== ops.length)
    throw new RangeError(`splitMedians: ${ops.length} ops but ${timed.length} timing flags`);
  const side = (wanted: boolean): OpTimes[] => ops.filter((_, k) => timed[k] === wanted);
  const medians = (list: readonly OpTimes[]): Record<CpuPhase, number | null> =>
    Object.fromEntries(CPU_PHASES.map((p) => [p, median(list.map((t) => t[p]))])) as Record<
      CpuPhase,
      number | null
    >;
  const u = side(false);
  const t = side(true);
  const untimed = medians(u);
  const timedMedians = medians(t);
  const costNs =
    untimed.total === null || timedMedians.total === null ? null : timedMedians.total - untimed.total;
  return { untimed, timed: timedMedians, untimedOps: u.length, timedOps: t.length, costNs };
}
