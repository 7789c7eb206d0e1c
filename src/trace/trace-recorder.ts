import type {
  CreationCall,
  InstrumentationHook,
  PassEntry,
  WaitKind,
} from '../instrument/instrumentation-hook.js';
import { Tag } from '../instrument/object-tag.js';
import { withHookOff } from '../instrument/webgpu-instrumentation.js';
import type { EventLog } from './event-log.js';
import type { TraceEvent } from './trace-events.js';
import { TimestampSlots } from '../device/timestamp-slots.js';

/** Read a device's timestamps back without waiting for a program's wait once this many passes await it. */
const READ_AT = 1024;

interface TracedPass extends PassEntry {
  readonly slot: number;
  seq: number;
}

interface DeviceState {
  readonly id: number;
  readonly stamps: TimestampSlots | undefined;
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
}

/** A pass's name: its label, else its pipelines' names (their labels, else their entry points). */
const nameOf = (p: PassEntry): string => p.label || p.pipelines.join('+') || 'unlabelled pass';

/**
 * The recorder of one thread of a traced program: every WebGPU call the patches report, logged
 * as an event with its CPU time (trace-events.ts). Each compute pass gets a timestamp slot on its
 * device; the slots are read back beside the program's own waits (a read-back submitted just
 * before its onSubmittedWorkDone or mapAsync finishes with it), when many passes await one, and
 * before the device is destroyed (the real destroy waits for the read-back). The recorder's own
 * GPU calls are made with the hook off, so they are not in the log.
 */
export class TraceRecorder implements InstrumentationHook {
  readonly timesCalls = true;
  private readonly devices = new Map<GPUDevice, DeviceState>();
  /** Tags, not WeakMaps: an entry per encoder and command buffer would slow every collection (object-tag.ts). */
  private readonly encoders = new Tag<GPUCommandEncoder, EncoderState>('trace.encoder');
  private readonly commandBuffers = new Tag<GPUCommandBuffer, EncoderState>('trace.commandBuffer');
  private submits = 0;

  constructor(private readonly log: EventLog) {}

  emit(event: TraceEvent): void {
    this.log.push(event);
  }

  private stateOf(device: GPUDevice, adapter?: GPUAdapter, startNs = 0, endNs = 0): DeviceState {
    let state = this.devices.get(device);
    if (!state) {
      const timestamps = device.features.has('timestamp-query');
      state = {
        id: this.devices.size + 1,
        stamps: timestamps ? new TimestampSlots(device) : undefined,
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
        at: startNs || Number(process.hrtime.bigint()),
        dur: endNs - startNs,
        adapter: adapter?.info.description ?? 'unknown (opened before wgprof saw it)',
        timestamps,
      });
    }
    return state;
  }

  deviceOpened(adapter: GPUAdapter, device: GPUDevice, startNs: number, endNs: number): void {
    this.stateOf(device, adapter, startNs, endNs);
  }

  encoderCreated(encoder: GPUCommandEncoder, device: GPUDevice, startNs: number, endNs: number): void {
    this.encoders.set(encoder, {
      device: this.stateOf(device),
      createdAt: startNs,
      callNs: endNs - startNs,
      passes: [],
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
      encoding = { device: state, createdAt: Number(process.hrtime.bigint()), callNs: 0, passes: [] };
      this.encoders.set(encoder, encoding);
    }
    // Its query set is the recorder's, not the program's: made with the hook off.
    const next = state && !hasOwnWrites ? withHookOff(() => state.stamps?.next()) : undefined;
    const entry: TracedPass = { label: label ?? '', pipelines: [], slot: next?.slot ?? -1, seq: -1 };
    encoding.passes.push(entry);
    if (state) state.unsubmitted++;
    return { entry, writes: next?.writes };
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
      this.devices.delete(device);
      this.emit({ e: 'destroy', dev: state.id, at: Number(process.hrtime.bigint()) });
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

  private emitPass(
    device: DeviceState | undefined,
    pass: TracedPass,
    stamps: BigUint64Array | undefined,
  ): void {
    const begin = stamps?.[2 * pass.slot];
    const end = stamps?.[2 * pass.slot + 1];
    const timed = begin !== undefined && end !== undefined && begin > 0n && end >= begin;
    this.emit({
      e: 'pass',
      dev: device?.id ?? null,
      seq: pass.seq,
      label: nameOf(pass),
      gpuBegin: timed ? Number(begin) : null,
      gpuEnd: timed ? Number(end) : null,
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
      for (const pass of batch) this.emitPass(state, pass, values);
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
