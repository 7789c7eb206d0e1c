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

const NO_CALLS: CallTotals = { count: 0, ns: 0, bytes: 0 };
const add = (a: CallTotals, ns: number, bytes = 0): CallTotals => ({
  count: a.count + 1,
  ns: a.ns + ns,
  bytes: a.bytes + bytes,
});
const sumCalls = (a: CallTotals, b: CallTotals): CallTotals => ({
  count: a.count + b.count,
  ns: a.ns + b.ns,
  bytes: a.bytes + b.bytes,
});

function emptyCalls(): CallsByKind {
  return {
    creation: NO_CALLS,
    buffers: NO_CALLS,
    uploads: NO_CALLS,
    encoding: NO_CALLS,
    submits: NO_CALLS,
    waiting: NO_CALLS,
  };
}

/** The calls of one thread's events, by kind. */
export function callsByKind(events: readonly TraceEvent[]): CallsByKind {
  let c = emptyCalls();
  for (const e of events) {
    switch (e.e) {
      case 'device':
      case 'create':
        c = { ...c, creation: add(c.creation, e.dur) };
        break;
      case 'buffer':
        c = { ...c, buffers: add(c.buffers, e.dur, e.bytes) };
        break;
      case 'upload':
        c = { ...c, uploads: add(c.uploads, e.dur, e.bytes) };
        break;
      case 'submit':
        c = {
          ...c,
          encoding: { count: c.encoding.count + 1, ns: c.encoding.ns + e.encodeCallsNs, bytes: 0 },
          submits: add(c.submits, e.dur),
        };
        break;
      case 'wait':
        c = { ...c, waiting: add(c.waiting, e.dur) };
        break;
      default:
        break;
    }
  }
  return c;
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

function threadParts(log: ThreadLog): ThreadParts {
  const { events } = log;
  const header = events.find((e) => e.e === 'thread');
  const submitAt = new Map<string, number>();
  const devices = new Map<number, { adapter: string; timestamps: boolean }>();
  const timed = new Map<number, TimedPass[]>();
  const waitsOf = new Map<number, Interval[]>();
  const passes: { dev: number | null; label: string; begin: number | null; end: number | null }[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let submits = 0;
  for (const e of events) {
    if ('at' in e) {
      start = Math.min(start, e.at);
      end = Math.max(end, e.at + ('dur' in e ? e.dur : 0));
    }
    if (e.e === 'device') devices.set(e.dev, { adapter: e.adapter, timestamps: e.timestamps });
    if (e.e === 'submit') {
      submits++;
      submitAt.set(`${e.dev}:${e.seq}`, e.at);
    }
    if (e.e === 'wait' && e.dev !== null && e.kind === 'onSubmittedWorkDone') {
      const list = waitsOf.get(e.dev) ?? [];
      list.push({ start: e.at, end: e.at + e.dur });
      waitsOf.set(e.dev, list);
    }
    if (e.e === 'pass') passes.push({ dev: e.dev, label: e.label, begin: e.gpuBegin, end: e.gpuEnd });
  }
  // Pass events carry their submit's seq: pair them with its CPU time for the clock bounds.
  for (const e of events) {
    if (e.e !== 'pass' || e.dev === null || e.gpuBegin === null || e.gpuEnd === null) continue;
    const at = submitAt.get(`${e.dev}:${e.seq}`);
    if (at === undefined) continue;
    const list = timed.get(e.dev) ?? [];
    list.push({ submitAt: at, gpuBegin: e.gpuBegin, gpuEnd: e.gpuEnd });
    timed.set(e.dev, list);
  }
  const offsets = new Map<number, number>();
  const busy = new Map<number, Interval[]>();
  let gpuBusyNs = 0;
  for (const [dev, list] of timed) {
    const offset = gpuClockOffset(clockBounds(list, waitsOf.get(dev) ?? []));
    offsets.set(dev, offset);
    const merged = mergeIntervals(list.map((p) => ({ start: p.gpuBegin + offset, end: p.gpuEnd + offset })));
    busy.set(dev, merged);
    gpuBusyNs += coveredNs(merged);
  }
  const waits: MeasuredWait[] = [];
  for (const e of events) {
    if (e.e !== 'wait') continue;
    const merged = e.dev === null ? undefined : busy.get(e.dev);
    waits.push({ kind: e.kind, ns: e.dur, gpuNs: merged ? overlapNs(merged, e.at, e.at + e.dur) : 0 });
  }
  const labelled: LabelledPass[] = passes.map((p) => ({
    label: p.label,
    ns: p.begin !== null && p.end !== null ? p.end - p.begin : Number.NaN,
  }));
  const calls = callsByKind(events);
  const pid = header?.e === 'thread' ? header.pid : 0;
  const threadId = header?.e === 'thread' ? header.threadId : 0;
  const main = header?.e === 'thread' ? header.main : true;
  return {
    passes: labelled,
    waits,
    summary: {
      pid,
      threadId,
      name: main ? `main thread (pid ${pid})` : `worker ${threadId} (pid ${pid})`,
      devices: [...devices].map(([id, d]) => ({ id, ...d, clockOffsetNs: offsets.get(id) ?? 0 })),
      startNs: Number.isFinite(start) ? start : 0,
      endNs: Number.isFinite(end) ? end : 0,
      calls,
      insideGpuCallsNs: totalOf(calls),
      submits,
      passes: labelled.length,
      timedPasses: labelled.filter((p) => Number.isFinite(p.ns)).length,
      gpuBusyNs,
      passRows: passRows(labelled),
      waitRows: waitRows(waits),
    },
  };
}

/** True when at least one thread of the program opened a WebGPU device. */
export function usedWebGpu(logs: readonly ThreadLog[]): boolean {
  return logs.some((l) => l.events.some((e) => e.e === 'device'));
}

/** The figures of a traced program from its threads' logs: per thread, and for the whole program. */
export function summarizeTrace(logs: readonly ThreadLog[]): TraceSummary {
  const parts = logs
    .filter((l) => l.events.some((e) => e.e === 'device' || e.e === 'submit'))
    .map(threadParts);
  const threads = parts.map((p) => p.summary);
  let calls = emptyCalls();
  for (const t of threads) {
    const c = t.calls;
    calls = {
      creation: sumCalls(calls.creation, c.creation),
      buffers: sumCalls(calls.buffers, c.buffers),
      uploads: sumCalls(calls.uploads, c.uploads),
      encoding: sumCalls(calls.encoding, c.encoding),
      submits: sumCalls(calls.submits, c.submits),
      waiting: sumCalls(calls.waiting, c.waiting),
    };
  }
  const devices = threads.flatMap((t) => t.devices);
  const timedDevices = devices.filter((d) => d.timestamps).length;
  const all = logs.flatMap((l) => l.events);
  const instances = all.filter((e) => e.e === 'instance');
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
    quantizationOff: instances.length === 0 ? undefined : instances.every((e) => e.quantizationOff),
    webgpu: all.flatMap((e) => (e.e === 'webgpu' ? [{ path: e.path, createPatched: e.createPatched }] : [])),
  };
}
