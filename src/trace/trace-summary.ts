import type { WaitKind } from '../instrument/instrumentation-hook.js';
import { median, quantile } from '../statistics/index.js';
import type { ThreadLog } from './event-log.js';
import {
  clockBounds,
  coveredNs,
  gpuClockOffset,
  mergeIntervals,
  overlapNs,
  type Interval,
  type TimedPass,
} from './gpu-timeline.js';
import type { TraceEvent } from './trace-events.js';

/** Calls of one kind: how many, the time inside them (ns) and, for buffers and uploads, bytes. */
export interface CallTotals {
  readonly count: number;
  readonly ns: number;
  readonly bytes: number;
}

/** Time inside GPU calls, by kind. */
export interface CallsByKind {
  /** requestDevice, create* (shader modules, pipelines, bind groups, ...). */
  readonly creation: CallTotals;
  /** createBuffer: bytes are the buffers' sizes. */
  readonly buffers: CallTotals;
  /** writeBuffer and writeTexture: bytes given. */
  readonly uploads: CallTotals;
  /** createCommandEncoder and finish. */
  readonly encoding: CallTotals;
  /** queue.submit. */
  readonly submits: CallTotals;
  /** onSubmittedWorkDone and mapAsync, from the call until the promise settled. */
  readonly waiting: CallTotals;
}

/** Compute passes of one label. */
export interface PassRow {
  readonly label: string;
  readonly count: number;
  /** Passes with a GPU time (the others were not timed). */
  readonly timed: number;
  readonly medianNs: number;
  readonly p99Ns: number;
  readonly totalNs: number;
  /** Of the GPU time of every timed pass in the same scope, 0 to 1. */
  readonly share: number;
}

/** Waits of one kind: how long the thread waited, and how much of it the GPU was busy. */
export interface WaitRow {
  readonly kind: WaitKind;
  readonly count: number;
  readonly medianNs: number;
  readonly p99Ns: number;
  readonly totalNs: number;
  /** Of the waits' time, ns during which the device ran the thread's passes. */
  readonly gpuNs: number;
  /** The rest: the GPU idle or busy with others' work, the completion's round trip, the event loop. */
  readonly latencyNs: number;
}

export interface TracedDevice {
  readonly id: number;
  readonly adapter: string;
  readonly timestamps: boolean;
  /** Added to its GPU timestamps to put them on the process's clock, ns (gpu-timeline.ts). */
  readonly clockOffsetNs: number;
}

/** The figures of one scope: a thread, or the whole program. */
export interface TraceFigures {
  readonly calls: CallsByKind;
  /** Sum of the calls' times, ns. */
  readonly insideGpuCallsNs: number;
  readonly submits: number;
  readonly passes: number;
  readonly timedPasses: number;
  /** The union of its passes' GPU intervals, summed over devices, ns. */
  readonly gpuBusyNs: number;
  readonly passRows: readonly PassRow[];
  readonly waitRows: readonly WaitRow[];
}

export interface ThreadSummary extends TraceFigures {
  readonly pid: number;
  readonly threadId: number;
  readonly name: string;
  readonly devices: readonly TracedDevice[];
  /** From the thread's first event to its last, ns. */
  readonly startNs: number;
  readonly endNs: number;
}

export interface TraceSummary {
  readonly threads: readonly ThreadSummary[];
  readonly all: TraceFigures;
  /** Every device timed its passes, some did, or none did. */
  readonly timestamps: 'all' | 'some' | 'none';
  /** Whether every create() call got quantization turned off; undefined when the program made none. */
  readonly quantizationOff: boolean | undefined;
  /** The dawn.node files instrumented, and whether their create() could be wrapped. */
  readonly webgpu: readonly { readonly path: string; readonly createPatched: boolean }[];
}

/** Running totals of one kind of call while the events are read (a CallTotals once done). */
interface Totals {
  count: number;
  ns: number;
  bytes: number;
}

type RunningCalls = Record<keyof CallsByKind, Totals>;

function emptyCalls(): RunningCalls {
  const none = (): Totals => ({ count: 0, ns: 0, bytes: 0 });
  return {
    creation: none(),
    buffers: none(),
    uploads: none(),
    encoding: none(),
    submits: none(),
    waiting: none(),
  };
}

function bump(t: Totals, ns: number, bytes = 0): void {
  t.count++;
  t.ns += ns;
  t.bytes += bytes;
}

/** Adds one event to the totals of the call it stands for; events that are no call add nothing. */
function addCall(c: RunningCalls, e: TraceEvent): void {
  switch (e.e) {
    case 'device':
    case 'create':
      bump(c.creation, e.dur);
      break;
    case 'buffer':
      bump(c.buffers, e.dur, e.bytes);
      break;
    case 'upload':
      bump(c.uploads, e.dur, e.bytes);
      break;
    case 'submit':
      // Its encoders' createCommandEncoder and finish, counted once per submit.
      bump(c.encoding, e.encodeCallsNs);
      bump(c.submits, e.dur);
      break;
    case 'wait':
      bump(c.waiting, e.dur);
      break;
    default:
      break;
  }
}

function totalOf(c: CallsByKind): number {
  return c.creation.ns + c.buffers.ns + c.uploads.ns + c.encoding.ns + c.submits.ns + c.waiting.ns;
}

function quantiles(values: readonly number[]): { medianNs: number; p99Ns: number } {
  if (values.length === 0) return { medianNs: Number.NaN, p99Ns: Number.NaN };
  return { medianNs: median(values), p99Ns: quantile(values, 0.99) };
}

interface LabelledPass {
  readonly label: string;
  /** NaN when not timed. */
  readonly ns: number;
}

/** Passes by label, the most GPU time first. */
export function passRows(passes: readonly LabelledPass[]): PassRow[] {
  const byLabel = new Map<string, LabelledPass[]>();
  for (const p of passes) {
    const list = byLabel.get(p.label) ?? [];
    list.push(p);
    byLabel.set(p.label, list);
  }
  let all = 0;
  for (const p of passes) if (Number.isFinite(p.ns)) all += p.ns;
  const rows = [...byLabel].map(([label, list]) => {
    const times = list.map((p) => p.ns).filter(Number.isFinite);
    const totalNs = times.reduce((a, b) => a + b, 0);
    return {
      label,
      count: list.length,
      timed: times.length,
      ...quantiles(times),
      totalNs,
      share: all > 0 ? totalNs / all : Number.NaN,
    };
  });
  return rows.sort((a, b) => b.totalNs - a.totalNs || b.count - a.count || a.label.localeCompare(b.label));
}

interface MeasuredWait {
  readonly kind: WaitKind;
  readonly ns: number;
  readonly gpuNs: number;
}

/** Waits by kind. */
export function waitRows(waits: readonly MeasuredWait[]): WaitRow[] {
  const kinds: WaitKind[] = ['onSubmittedWorkDone', 'mapAsync'];
  return kinds.flatMap((kind) => {
    const list = waits.filter((w) => w.kind === kind);
    if (list.length === 0) return [];
    const totalNs = list.reduce((a, w) => a + w.ns, 0);
    const gpuNs = list.reduce((a, w) => a + w.gpuNs, 0);
    return [
      {
        kind,
        count: list.length,
        ...quantiles(list.map((w) => w.ns)),
        totalNs,
        gpuNs,
        latencyNs: totalNs - gpuNs,
      },
    ];
  });
}

/** What one thread's events add up to, its raw material for the whole program's figures kept beside. */
interface ThreadParts {
  readonly summary: ThreadSummary;
  readonly passes: LabelledPass[];
  readonly waits: MeasuredWait[];
}

type ThreadHeader = Extract<TraceEvent, { e: 'thread' }>;

interface LoggedPass {
  readonly dev: number | null;
  readonly seq: number;
  readonly label: string;
  readonly begin: number | null;
  readonly end: number | null;
}

interface LoggedWait {
  readonly kind: WaitKind;
  readonly dev: number | null;
  readonly at: number;
  readonly dur: number;
}

/** A submit's key by its seq and device: one number, where a string key per submit would cost more. */
const submitKey = (seq: number, dev: number | null): number => seq * 65_536 + (dev ?? 0);

/**
 * One thread's events as they are read, one at a time: the calls as running totals, and of the
 * rest only what the figures need (each submit's time, each pass and each wait), so that every
 * event counts whether or not the result keeps it.
 */
class ThreadAccumulator {
  private header: ThreadHeader | undefined;
  private readonly calls = emptyCalls();
  private start = Number.POSITIVE_INFINITY;
  private end = Number.NEGATIVE_INFINITY;
  private submits = 0;
  private readonly submitAt = new Map<number, number>();
  private readonly devices = new Map<number, { adapter: string; timestamps: boolean }>();
  /** Per device, its onSubmittedWorkDone waits: they bound its clock's offset. */
  private readonly waitsOf = new Map<number, Interval[]>();
  private readonly passes: LoggedPass[] = [];
  private readonly waits: LoggedWait[] = [];

  add(e: TraceEvent): void {
    if ('at' in e) {
      this.start = Math.min(this.start, e.at);
      this.end = Math.max(this.end, e.at + ('dur' in e ? e.dur : 0));
    }
    addCall(this.calls, e);
    switch (e.e) {
      case 'thread':
        this.header ??= e;
        break;
      case 'device':
        this.devices.set(e.dev, { adapter: e.adapter, timestamps: e.timestamps });
        break;
      case 'submit':
        this.submits++;
        this.submitAt.set(submitKey(e.seq, e.dev), e.at);
        break;
      case 'wait': {
        this.waits.push({ kind: e.kind, dev: e.dev, at: e.at, dur: e.dur });
        if (e.dev === null || e.kind !== 'onSubmittedWorkDone') break;
        const list = this.waitsOf.get(e.dev) ?? [];
        list.push({ start: e.at, end: e.at + e.dur });
        this.waitsOf.set(e.dev, list);
        break;
      }
      case 'pass':
        this.passes.push({ dev: e.dev, seq: e.seq, label: e.label, begin: e.gpuBegin, end: e.gpuEnd });
        break;
      default:
        break;
    }
  }

  /** False for a thread that opened no device and submitted nothing: the summary leaves it out. */
  get counted(): boolean {
    return this.devices.size > 0 || this.submits > 0;
  }

  parts(): ThreadParts {
    // Pass events carry their submit's seq: pair them with its CPU time for the clock bounds.
    const timed = new Map<number, TimedPass[]>();
    for (const p of this.passes) {
      if (p.dev === null || p.begin === null || p.end === null) continue;
      const at = this.submitAt.get(submitKey(p.seq, p.dev));
      if (at === undefined) continue;
      const list = timed.get(p.dev) ?? [];
      list.push({ submitAt: at, gpuBegin: p.begin, gpuEnd: p.end });
      timed.set(p.dev, list);
    }
    const offsets = new Map<number, number>();
    const busy = new Map<number, Interval[]>();
    let gpuBusyNs = 0;
    for (const [dev, list] of timed) {
      const offset = gpuClockOffset(clockBounds(list, this.waitsOf.get(dev) ?? []));
      offsets.set(dev, offset);
      const merged = mergeIntervals(
        list.map((p) => ({ start: p.gpuBegin + offset, end: p.gpuEnd + offset })),
      );
      busy.set(dev, merged);
      gpuBusyNs += coveredNs(merged);
    }
    const waits: MeasuredWait[] = this.waits.map((w) => {
      const merged = w.dev === null ? undefined : busy.get(w.dev);
      return { kind: w.kind, ns: w.dur, gpuNs: merged ? overlapNs(merged, w.at, w.at + w.dur) : 0 };
    });
    const labelled: LabelledPass[] = this.passes.map((p) => ({
      label: p.label,
      ns: p.begin !== null && p.end !== null ? p.end - p.begin : Number.NaN,
    }));
    const calls: CallsByKind = this.calls;
    const { pid = 0, threadId = 0, main = true } = this.header ?? {};
    return {
      passes: labelled,
      waits,
      summary: {
        pid,
        threadId,
        name: main ? `main thread (pid ${pid})` : `worker ${threadId} (pid ${pid})`,
        devices: [...this.devices].map(([id, d]) => ({ id, ...d, clockOffsetNs: offsets.get(id) ?? 0 })),
        startNs: Number.isFinite(this.start) ? this.start : 0,
        endNs: Number.isFinite(this.end) ? this.end : 0,
        calls,
        insideGpuCallsNs: totalOf(calls),
        submits: this.submits,
        passes: labelled.length,
        timedPasses: labelled.filter((p) => Number.isFinite(p.ns)).length,
        gpuBusyNs,
        passRows: passRows(labelled),
        waitRows: waitRows(waits),
      },
    };
  }
}

const sumCalls = (a: CallTotals, b: CallTotals): CallTotals => ({
  count: a.count + b.count,
  ns: a.ns + b.ns,
  bytes: a.bytes + b.bytes,
});

/**
 * A whole program's figures, built as its threads' events are read (trace/read-trace.ts), each
 * event once: the summary counts every event, also those the result does not keep.
 */
export class TraceAccumulator {
  private readonly threads: ThreadAccumulator[] = [];
  private readonly instances: boolean[] = [];
  private readonly webgpu: { path: string; createPatched: boolean }[] = [];

  /** The next thread's log: its events go to the returned function, in the order it logged them. */
  thread(): (e: TraceEvent) => void {
    const thread = new ThreadAccumulator();
    this.threads.push(thread);
    return (e) => {
      thread.add(e);
      if (e.e === 'instance') this.instances.push(e.quantizationOff);
      if (e.e === 'webgpu') this.webgpu.push({ path: e.path, createPatched: e.createPatched });
    };
  }

  /** True when at least one thread of the program opened a WebGPU device. */
  get usedWebGpu(): boolean {
    return this.threads.some((t) => t.counted);
  }

  summary(): TraceSummary {
    const parts = this.threads.filter((t) => t.counted).map((t) => t.parts());
    const threads = parts.map((p) => p.summary);
    const keys = Object.keys(emptyCalls()) as (keyof CallsByKind)[];
    const none: CallTotals = { count: 0, ns: 0, bytes: 0 };
    const calls = Object.fromEntries(
      keys.map((k) => [k, threads.reduce((sum, t) => sumCalls(sum, t.calls[k]), none)]),
    ) as unknown as CallsByKind;
    const devices = threads.flatMap((t) => t.devices);
    const timedDevices = devices.filter((d) => d.timestamps).length;
    return {
      threads,
      all: {
        calls,
        insideGpuCallsNs: totalOf(calls),
        submits: threads.reduce((a, t) => a + t.submits, 0),
        passes: threads.reduce((a, t) => a + t.passes, 0),
        timedPasses: threads.reduce((a, t) => a + t.timedPasses, 0),
        gpuBusyNs: threads.reduce((a, t) => a + t.gpuBusyNs, 0),
        passRows: passRows(parts.flatMap((p) => p.passes)),
        waitRows: waitRows(parts.flatMap((p) => p.waits)),
      },
      timestamps:
        timedDevices === devices.length && devices.length > 0 ? 'all' : timedDevices > 0 ? 'some' : 'none',
      quantizationOff: this.instances.length === 0 ? undefined : this.instances.every(Boolean),
      webgpu: this.webgpu,
    };
  }
}

/** The figures of a traced program from its threads' logs: per thread, and for the whole program. */
export function summarizeTrace(logs: readonly ThreadLog[]): TraceSummary {
  const trace = new TraceAccumulator();
  for (const log of logs) {
    const add = trace.thread();
    for (const e of log.events) add(e);
  }
  return trace.summary();
}
