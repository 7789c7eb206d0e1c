import { gpuTimeOf, zeroCounts, type OpActivity, type OpCounts, type PassTime } from './op-activity.js';
import type { InstrumentationHook, PassEntry as HookPassEntry } from './instrumentation-hook.js';
import { MAX_TIMESTAMP_SLOTS, TimestampSlots, type SlotReadings } from '../device/timestamp-slots.js';
import { TIMING } from '../device/timestamp-check.js';
import { withHookOff } from './webgpu-instrumentation.js';

/** A compute pass the op began: where its timestamps went, and what to call it. */
interface PassEntry extends HookPassEntry {
  readonly stamps: TimestampSlots | undefined;
  readonly slot: number;
  /** Why it has no slot, when it was to be timed and could not be (TIMING.noQuerySet). */
  readonly untimedCode: number;
}

interface PendingOp {
  readonly counts: OpCounts;
  readonly passes: readonly PassEntry[];
}

/**
 * The recorder of one thread's ops: the WebGPU patches (webgpu-instrumentation.ts) report each
 * call to the recorder that is active, and the recorder counts them per op and hands every
 * compute pass a timestamp slot on its own device. Between ops, `flush` reads the slots back
 * and returns each op's activity, in order. Outside `begin`/`end` nothing is counted: warm-up
 * ops and wgprof's own calls (the read-backs) cost a check and nothing else.
 */
export class OpRecorder implements InstrumentationHook {
  /** Counts only: the op's phases are timed by the op runner, not call by call. */
  readonly timesCalls = false;
  /** Per device its slots, or null when it cannot time passes (no timestamp-query). */
  private readonly stamps = new Map<GPUDevice, TimestampSlots | null>();
  private counts: OpCounts = zeroCounts();
  private passes: PassEntry[] = [];
  private readonly alive = new Set<GPUBuffer>();
  private readonly pending: PendingOp[] = [];
  /** The op's submits, in order: each one's device (when known), and whether a wait covered it. */
  private submits: { readonly device: GPUDevice | undefined; waited: boolean }[] = [];
  /** Counts ops begun: a wait that settles after its op ended covers nothing of the next one. */
  private generation = 0;
  private open = false;

  /** Number of passes whose slots await a flush, on the fullest device. */
  get slotsUsed(): number {
    let most = 0;
    for (const s of this.stamps.values()) most = Math.max(most, s?.usedSlots ?? 0);
    return most;
  }

  /** True when the next op should wait for a flush: fewer than a quarter of the slots are left. */
  get nearlyFull(): boolean {
    return this.slotsUsed > (3 * MAX_TIMESTAMP_SLOTS) / 4;
  }

  begin(): void {
    this.counts = zeroCounts();
    this.passes = [];
    this.alive.clear();
    this.submits = [];
    this.generation++;
    this.open = true;
  }

  end(): void {
    this.open = false;
    this.counts.submitsUnwaited = this.submits.filter((s) => !s.waited).length;
    this.counts.buffersLeft = this.alive.size;
    this.alive.clear();
    this.pending.push({ counts: this.counts, passes: this.passes });
  }

  /** A pass begins on `device`: its timestampWrites, or undefined when it cannot be timed. */
  passBegun(
    device: GPUDevice | undefined,
    hasOwnWrites: boolean,
    label: string | undefined,
  ): { entry: PassEntry; writes: GPUComputePassTimestampWrites | undefined } {
    this.counts.passes++;
    const stamps = device && !hasOwnWrites ? this.stampsOf(device) : undefined;
    // Its query set and buffers are wgprof's, not the op's: made with the hook off, not counted.
    const next = stamps ? withHookOff(() => stamps.next()) : undefined;
    const entry: PassEntry = {
      stamps: next ? stamps : undefined,
      slot: next?.slot ?? -1,
      // A device whose query set could not be made: the pass was to be timed.
      untimedCode: stamps?.failure === undefined ? TIMING.untimed : TIMING.noQuerySet,
      label: label ?? '',
      pipelines: [],
    };
    this.passes.push(entry);
    return { entry, writes: next?.writes };
  }

  pipelineSet(entry: HookPassEntry, label: string): void {
    if (label && !entry.pipelines.includes(label)) entry.pipelines.push(label);
  }

  dispatched(): void {
    this.counts.dispatches++;
  }

  submitted(_buffers: readonly unknown[], _startNs: number, _endNs: number, device?: GPUDevice): void {
    this.counts.submits++;
    this.submits.push({ device, waited: false });
  }

  /**
   * A wait covers the submits made before it on its device (a device unknown to either side
   * matches any), once it settles and only if the op has not ended by then: a sync that starts
   * the wait and returns without awaiting it leaves its submits unwaited.
   */
  waitBegun(device: GPUDevice | undefined): () => void {
    const generation = this.generation;
    const before = this.submits.slice();
    return () => {
      if (!this.open || generation !== this.generation) return;
      for (const s of before)
        if (device === undefined || s.device === undefined || s.device === device) s.waited = true;
    };
  }

  uploaded(bytes: number): void {
    this.counts.bytesUploaded += bytes;
  }

  bufferCreated(buffer: GPUBuffer, mappedBytes: number): void {
    this.counts.buffersCreated++;
    this.counts.bytesUploaded += mappedBytes;
    this.alive.add(buffer);
  }

  bufferDestroyed(buffer: GPUBuffer): void {
    this.alive.delete(buffer);
  }

  /**
   * Makes `device`'s query set now and waits until it is known to exist: passes on a device
   * whose query set is still being checked go untimed (the op's own device is prepared when the
   * op opens, so that its first timed op is timed).
   */
  async prepare(device: GPUDevice): Promise<void> {
    const stamps = this.stampsOf(device);
    if (stamps) await withHookOff(() => stamps.ready());
  }

  private stampsOf(device: GPUDevice): TimestampSlots | undefined {
    let stamps = this.stamps.get(device);
    if (stamps === undefined) {
      // Asked once per device: `device.features` is a native call (0.23 us), and this runs per pass.
      stamps = device.features.has('timestamp-query') ? new TimestampSlots(device) : null;
      this.stamps.set(device, stamps);
    }
    return stamps ?? undefined;
  }

  /**
   * Every op's activity since the last flush, in the order they ran. Devices that are `skip`ped
   * (lost, or stuck in a kernel) are not asked: their passes count as untimed.
   */
  async flush(skip: (device: GPUDevice) => boolean = () => false): Promise<OpActivity[]> {
    const ops = this.pending.splice(0);
    const readings = new Map<TimestampSlots, SlotReadings | undefined>();
    for (const [device, stamps] of this.stamps) {
      if (!stamps || stamps.usedSlots === 0) continue;
      readings.set(stamps, skip(device) ? undefined : await stamps.read());
    }
    return ops.map(({ counts, passes }) => {
      const times: PassTime[] = passes.map((p, k) => {
        const name = p.label || p.pipelines.join('+') || `pass ${k + 1}`;
        if (!p.stamps) return { name, ns: Number.NaN, code: p.untimedCode };
        const read = readings.get(p.stamps);
        // Written and never read: its device was lost or stuck.
        if (!read) return { name, ns: Number.NaN, code: TIMING.unread };
        return { name, ns: read.ns[p.slot] ?? Number.NaN, code: read.codes[p.slot] ?? TIMING.unread };
      });
      return { counts, passes: times, gpuNs: gpuTimeOf(times) };
    });
  }

  /** Frees the query sets of every device but those `skip`ped (destroying those could wait). */
  dispose(skip: (device: GPUDevice) => boolean = () => false): void {
    for (const [device, stamps] of this.stamps) if (!skip(device)) stamps?.destroy();
    this.stamps.clear();
  }
}
