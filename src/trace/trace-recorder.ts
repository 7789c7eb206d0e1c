import type {
  CreationCall,
  InstrumentationHook,
  PassEntry,
  WaitKind,
} from '../instrument/instrumentation-hook.js';
import { Tag } from '../instrument/object-tag.js';
import { withHookOff } from '../instrument/webgpu-instrumentation.js';
import { QUERY_SET_BUDGET, querySetsHeld, readingsOf, TimestampSlots } from '../device/timestamp-slots.js';
import { DEFAULT_GPU_TIME, type GpuTimePlan } from '../config/gpu-time.js';
import { TIMING, type TimingCode } from '../device/timestamp-check.js';
import type { EventLog } from './event-log.js';
import type { TraceEvent, UntimedReason } from './trace-events.js';
import { isTimedEncoder } from './trace-sampling.js';
import { passReading, type StampsRead } from './trace-timing.js';

/** Read a device's timestamps back without waiting for a program's wait once this many passes await it. */
const READ_AT = 1024;

/**
 * How long a device's opening waits at most for its query set's error scopes, ms: they come back
 * in one turn of the event loop; a device that never answers is handed over untimed.
 */
const READY_WAIT_MS = 1000;

interface TracedPass extends PassEntry {
  /** Its begin/end pair in its device's query set; -1 when wgprof did not time it. */
  readonly slot: number;
  seq: number;
  /** Its submit's start: the reading must fit between it and the read-back's end (withinSpan). */
  submitAt: number;
  /** Without a slot: untimed (and why), or noQuerySet. With one: timed, until it is read. */
  readonly code: TimingCode;
  readonly untimed: UntimedReason | undefined;
}

const now = (): number => Number(process.hrtime.bigint());

interface DeviceState {
  readonly id: number;
  /** Its query set: none with --gpu-time none, without timestamp-query, or past the budget. */
  readonly stamps: TimestampSlots | undefined;
  /** Why its passes get no timestamps at all, when that is the device's doing. */
  readonly noStamps: 'no-timestamp-query' | 'over-budget' | undefined;
  /** Until its query set is known to exist (or not): what the program's requestDevice waits for. */
  ready: Promise<void> | undefined;
  /** Encoders of it that began a pass wgprof could time: what --gpu-time samples (trace-sampling.ts). */
  encoders: number;
  /** Passes begun on it whose command buffers were not submitted yet: no read-back until they are. */
  unsubmitted: number;
  /** Timed passes submitted and not read back yet. */
  readonly submitted: TracedPass[];
  reading: Promise<void> | undefined;
  /** The passes of the read-back in flight: logged when it ends, or untimed by finish() if that comes first. */
  readingPasses: readonly TracedPass[];
  destroyed: boolean;
}

interface EncoderState {
  readonly device: DeviceState | undefined;
  readonly createdAt: number;
  callNs: number;
  readonly passes: TracedPass[];
  /** Whether its passes get wgprof's timestamps: decided at its first pass that could have them. */
  timed: boolean | undefined;
}

/** A pass's name: its label, else its pipelines' names (their labels, else their entry points). */
const nameOf = (p: PassEntry): string => p.label || p.pipelines.join('+') || 'unlabelled pass';

/**
 * The recorder of one thread of a traced program: every WebGPU call the patches report, logged
 * as an event with its CPU time (trace-events.ts). The compute passes of the encoders --gpu-time
 * picks (trace-sampling.ts) get a timestamp slot in their device's one query set
 * (TimestampSlots: made when the device opens, inside error scopes, and the program gets its
 * device once they say it exists, so that a first pass can be timed; at most QUERY_SET_BUDGET
 * per thread; freed when the device is destroyed). The slots are read back beside the program's
 * own waits (a read-back submitted just before its onSubmittedWorkDone or mapAsync finishes with
 * it), when many passes await one, and before the device is destroyed (the real destroy waits
 * for the read-back). Every reading is checked (zero, reversed, longer than the span from its
 * submit to the read-back's end): a failed one is logged with its code and no stamps. The
 * recorder's own GPU calls are made with the hook off, so they are not in the log.
 */
export class TraceRecorder implements InstrumentationHook {
  readonly timesCalls = true;
  private readonly devices = new Map<GPUDevice, DeviceState>();
  /** Tags, not WeakMaps: an entry per encoder and command buffer would slow every collection (object-tag.ts). */
  private readonly encoders = new Tag<GPUCommandEncoder, EncoderState>('trace.encoder');
  private readonly commandBuffers = new Tag<GPUCommandBuffer, EncoderState>('trace.commandBuffer');
  private submits = 0;

  constructor(
    private readonly log: EventLog,
    private readonly gpuTime: GpuTimePlan = DEFAULT_GPU_TIME,
  ) {}

  emit(event: TraceEvent): void {
    this.log.push(event);
  }

  private stateOf(device: GPUDevice, adapter?: GPUAdapter, startNs = 0, endNs = 0): DeviceState {
    let state = this.devices.get(device);
    if (!state) {
      const timestamps = device.features.has('timestamp-query');
      const wanted = timestamps && this.gpuTime.mode !== 'none';
      const overBudget = wanted && querySetsHeld() >= QUERY_SET_BUDGET;
      // Its query set is the recorder's, not the program's: made with the hook off, and now, so
      // that it is known to exist before the program's first pass.
      const stamps =
        wanted && !overBudget ? withHookOff(() => new TimestampSlots(device).prepare()) : undefined;
      state = {
        id: this.devices.size + 1,
        stamps,
        // Under --gpu-time none the device lacks timestamp-query because wgprof did not add it:
        // its passes are untimed by choice.
        noStamps:
          this.gpuTime.mode === 'none'
            ? undefined
            : !timestamps
              ? 'no-timestamp-query'
              : overBudget
                ? 'over-budget'
                : undefined,
        ready: undefined,
        encoders: 0,
        unsubmitted: 0,
        submitted: [],
        reading: undefined,
        readingPasses: [],
        destroyed: false,
      };
      this.devices.set(device, state);
      this.emit({
        e: 'device',
        dev: state.id,
        at: startNs || now(),
        dur: endNs - startNs,
        adapter: adapter?.info.description ?? 'unknown (opened before wgprof saw it)',
        timestamps,
      });
      if (overBudget)
        this.emit({
          e: 'querySet',
          dev: state.id,
          at: now(),
          made: false,
          reason: `over wgprof's budget of ${QUERY_SET_BUDGET} query sets per thread (its other devices hold them)`,
        });
      if (stamps) state.ready = this.whenReady(state, stamps);
    }
    return state;
  }

  /** Logs whether the device's query set could be made, once its error scopes say (or after READY_WAIT_MS). */
  private whenReady(state: DeviceState, stamps: TimestampSlots): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((done) => {
      timer = setTimeout(done, READY_WAIT_MS);
    });
    const known = stamps.ready().then(
      (made) => {
        this.emit({
          e: 'querySet',
          dev: state.id,
          at: now(),
          made,
          ...(stamps.failure === undefined ? {} : { reason: stamps.failure }),
        });
      },
      () => undefined,
    );
    return Promise.race([known, late]).finally(() => clearTimeout(timer));
  }

  deviceOpened(
    adapter: GPUAdapter,
    device: GPUDevice,
    startNs: number,
    endNs: number,
  ): Promise<void> | undefined {
    return this.stateOf(device, adapter, startNs, endNs).ready;
  }

  encoderCreated(encoder: GPUCommandEncoder, device: GPUDevice, startNs: number, endNs: number): void {
    this.encoders.set(encoder, {
      device: this.stateOf(device),
      createdAt: startNs,
      callNs: endNs - startNs,
      passes: [],
      timed: undefined,
    });
  }

  encoderFinished(
    encoder: GPUCommandEncoder,
    commandBuffer: GPUCommandBuffer,
    startNs: number,
    endNs: number,
  ): void {
    const state = this.encoders.get(encoder);
    if (!state) return;
    state.callNs += endNs - startNs;
    this.commandBuffers.set(commandBuffer, state);
  }

  passBegun(
    device: GPUDevice | undefined,
    hasOwnWrites: boolean,
    label: string | undefined,
    encoder: GPUCommandEncoder,
  ): { entry: PassEntry; writes: GPUComputePassTimestampWrites | undefined } {
    const state = device ? this.stateOf(device) : undefined;
    let encoding = this.encoders.get(encoder);
    if (!encoding) {
      encoding = { device: state, createdAt: now(), callNs: 0, passes: [], timed: undefined };
      this.encoders.set(encoder, encoding);
    }
    const timing = this.timingOf(state, encoding, hasOwnWrites);
    const entry: TracedPass = {
      label: label ?? '',
      pipelines: [],
      slot: timing.next?.slot ?? -1,
      seq: -1,
      submitAt: 0,
      code: timing.code,
      untimed: timing.untimed,
    };
    encoding.passes.push(entry);
    if (state) state.unsubmitted++;
    return { entry, writes: timing.next?.writes };
  }

  /**
   * Whether a pass gets wgprof's timestamps, and if not why: the program's own timestampWrites
   * are left alone; then the device's lack (no timestamp-query, over the budget); then
   * --gpu-time's choice of its encoder; then a free slot in a query set that exists.
   */
  private timingOf(
    state: DeviceState | undefined,
    encoding: EncoderState,
    hasOwnWrites: boolean,
  ): {
    code: TimingCode;
    untimed?: UntimedReason;
    next?: { writes: GPUComputePassTimestampWrites; slot: number };
  } {
    if (hasOwnWrites) return { code: TIMING.untimed, untimed: 'own-writes' };
    if (!state) return { code: TIMING.untimed, untimed: 'no-slot' };
    if (state.noStamps) return { code: TIMING.untimed, untimed: state.noStamps };
    encoding.timed ??= isTimedEncoder(state.encoders++, this.gpuTime);
    const stamps = state.stamps;
    if (!encoding.timed || !stamps) return { code: TIMING.untimed, untimed: 'by-choice' };
    const next = withHookOff(() => stamps.next());
    if (next) return { code: TIMING.timed, next };
    // It was to be timed, and its device's query set could not be made.
    if (stamps.failure !== undefined && !state.destroyed) return { code: TIMING.noQuerySet };
    return { code: TIMING.untimed, untimed: 'no-slot' };
  }

  /** A pipeline is named by its label, else by its shader's entry point. */
  pipelineSet(entry: PassEntry, label: string, entryPoint: string | undefined): void {
    const name = label || entryPoint;
    if (name && !entry.pipelines.includes(name)) entry.pipelines.push(name);
  }

  dispatched(): void {
    // Counted by the passes; a dispatch is too cheap to log one by one.
  }

  submitted(buffers: readonly unknown[], startNs: number, endNs: number): void {
    const seq = ++this.submits;
    let passes = 0;
    let first = startNs;
    let callNs = 0;
    let device: DeviceState | undefined;
    for (const buffer of buffers) {
      // The real submit took the list, so these are command buffers; a tag cannot be read off null.
      if (typeof buffer !== 'object' || buffer === null) continue;
      const encoding = this.commandBuffers.get(buffer as GPUCommandBuffer);
      if (!encoding) continue;
      device ??= encoding.device;
      first = Math.min(first, encoding.createdAt);
      callNs += encoding.callNs;
      for (const pass of encoding.passes) {
        passes++;
        pass.seq = seq;
        pass.submitAt = startNs;
        if (encoding.device) encoding.device.unsubmitted--;
        if (encoding.device && pass.slot >= 0) encoding.device.submitted.push(pass);
        else this.emitPass(encoding.device, pass, undefined);
      }
      encoding.passes.length = 0;
    }
    this.emit({
      e: 'submit',
      dev: device?.id ?? null,
      seq,
      at: startNs,
      dur: endNs - startNs,
      encodeNs: startNs - first,
      encodeCallsNs: callNs,
      passes,
      commandBuffers: buffers.length,
    });
    if (device && device.submitted.length >= READ_AT) {
      const state = device;
      // Outside the program's call: after it returns.
      setImmediate(() => this.startRead(state));
    }
  }

  uploaded(bytes: number, device: GPUDevice | undefined, startNs: number, endNs: number): void {
    this.emit({
      e: 'upload',
      dev: device ? this.stateOf(device).id : null,
      at: startNs,
      dur: endNs - startNs,
      bytes,
    });
  }

  bufferCreated(
    _buffer: GPUBuffer,
    mappedBytes: number,
    device: GPUDevice,
    size: number,
    startNs: number,
    endNs: number,
  ): void {
    this.emit({
      e: 'buffer',
      dev: this.stateOf(device).id,
      at: startNs,
      dur: endNs - startNs,
      bytes: size,
      mapped: mappedBytes > 0,
    });
  }

  bufferDestroyed(): void {
    // Not logged: the trace is about time, and destroy is cheap.
  }

  created(kind: CreationCall, device: GPUDevice, startNs: number, endNs: number): void {
    this.emit({ e: 'create', dev: this.stateOf(device).id, call: kind, at: startNs, dur: endNs - startNs });
  }

  beforeWait(device: GPUDevice | undefined): void {
    const state = device && this.devices.get(device);
    if (state) this.startRead(state);
  }

  waited(kind: WaitKind, device: GPUDevice | undefined, startNs: number, endNs: number): void {
    const state = device && this.devices.get(device);
    this.emit({ e: 'wait', dev: state ? state.id : null, kind, at: startNs, dur: endNs - startNs });
  }

  beforeDestroy(device: GPUDevice): Promise<void> | undefined {
    const state = this.devices.get(device);
    if (!state) return undefined;
    this.startRead(state);
    const pending = state.reading;
    const destroyed = (): void => {
      state.destroyed = true;
      for (const pass of state.submitted.splice(0)) this.emitPass(state, pass, undefined);
      // Its query set goes with it: the thread's budget counts the live ones.
      const stamps = state.stamps;
      if (stamps) withHookOff(() => stamps.destroy());
      this.devices.delete(device);
      this.emit({ e: 'destroy', dev: state.id, at: now() });
    };
    if (!pending) {
      destroyed();
      return undefined;
    }
    return pending.then(destroyed);
  }

  /**
   * At the thread's exit, or before its process dies of a signal: passes not read back are logged
   * untimed, those of a read-back in flight too (it can no longer end), so that every pass counts.
   */
  finish(): void {
    for (const state of this.devices.values()) {
      const left = [...state.readingPasses, ...state.submitted.splice(0)];
      state.readingPasses = [];
      for (const pass of left) this.emitPass(state, pass, undefined);
    }
  }

  /** Logs a pass: one without a slot as it was decided; a timed one with its reading, checked. */
  private emitPass(device: DeviceState | undefined, pass: TracedPass, read?: StampsRead): void {
    const { code, begin, end } =
      pass.slot >= 0
        ? passReading(pass.slot, pass.submitAt, read)
        : { code: pass.code, begin: null, end: null };
    this.emit({
      e: 'pass',
      dev: device?.id ?? null,
      seq: pass.seq,
      label: nameOf(pass),
      gpuBegin: begin,
      gpuEnd: end,
      code,
      ...(code === TIMING.untimed && pass.untimed !== undefined ? { untimed: pass.untimed } : {}),
    });
  }

  /** Reads back the device's submitted passes, unless a read is in flight or passes await their submit. */
  private startRead(state: DeviceState): void {
    const stamps = state.stamps;
    if (!stamps || state.reading || state.destroyed || state.unsubmitted > 0 || state.submitted.length === 0)
      return;
    const batch = state.submitted.splice(0);
    let reading: Promise<BigUint64Array>;
    try {
      reading = withHookOff(() => stamps.readStamps());
    } catch {
      for (const pass of batch) this.emitPass(state, pass, undefined);
      return;
    }
    state.readingPasses = batch;
    const settle = (values: BigUint64Array | undefined): void => {
      // finish() logged them already.
      if (state.readingPasses !== batch) return;
      state.readingPasses = [];
      const read = values && { stamps: values, readings: readingsOf(values), doneNs: now() };
      for (const pass of batch) this.emitPass(state, pass, read);
    };
    state.reading = reading.then(settle, () => {
      settle(undefined);
    });
    void state.reading.finally(() => {
      state.reading = undefined;
      if (state.submitted.length >= READ_AT) this.startRead(state);
    });
  }
}
