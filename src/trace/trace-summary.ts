import type { WaitKind } from '../instrument/instrumentation-hook.js';
import { DEFAULT_GPU_TIME, formatGpuTime, type GpuTimePlan } from '../config/gpu-time.js';
import {
  addHealth,
  judgeTimestamps,
  NO_READINGS,
  TIMING,
  type TimestampHealth,
  type TimingCode,
} from '../device/timestamp-check.js';
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
import { CoverageCheck, type UncoveredWork } from './uncovered.js';
import {
  costMeasure,
  costSamples,
  coveredSubmits,
  type CostSides,
  type SubmitTiming,
} from './trace-timing-cost.js';
import {
  addTallies,
  deviceHealth,
  NO_PASSES,
  passCode,
  tallyPasses,
  type PassTally,
  type PassTiming,
  type TraceTiming,
  type TraceTimingCost,
} from './trace-timing.js';

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
  /**
   * Waits whose GPU busy time is known: every pass they waited for has a GPU time (with
   * --gpu-time sample, those after timed work; none when the timestamps are not trusted).
   * Absent in results written before wgprof sampled: every wait.
   */
  readonly splitCount?: number;
  /** Their time, ns (`totalNs` when every wait is split). */
  readonly splitNs?: number;
  /** Of the split waits' time, ns during which the device ran the thread's passes. */
  readonly gpuNs: number;
  /** The rest of the split waits' time: the GPU idle or busy with others' work, the completion's round trip, the event loop. */
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
  /**
   * How the passes were timed (--gpu-time), what that cost, and whether the GPU figures stand:
   * untrusted timestamps leave every GPU figure out (`timedPasses` 0, no GPU busy time, no GPU
   * time per pass, waits not split). Absent in results written before wgprof sampled.
   */
  readonly timing?: TraceTiming;
  /** Every device timed its passes, some did, or none did. */
  readonly timestamps: 'all' | 'some' | 'none';
  /** Whether every create() call got quantization turned off; undefined when the program made none. */
  readonly quantizationOff: boolean | undefined;
  /** The dawn.node files instrumented, and whether their create() could be wrapped. */
  readonly webgpu: readonly { readonly path: string; readonly createPatched: boolean }[];
  /**
   * Threads and processes the program started whose GPU work the trace does not hold (uncovered.ts).
   * Absent in results written before wgprof followed them.
   */
  readonly uncovered?: readonly UncoveredWork[];
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
  /** The device's GPU busy time during it, ns; undefined when unknown (a pass it waited for has no GPU time). */
  readonly gpuNs: number | undefined;
}

/** Waits by kind: their GPU busy time and latency of those whose GPU busy time is known. */
export function waitRows(waits: readonly MeasuredWait[]): WaitRow[] {
  const kinds: WaitKind[] = ['onSubmittedWorkDone', 'mapAsync'];
  return kinds.flatMap((kind) => {
    const list = waits.filter((w) => w.kind === kind);
    if (list.length === 0) return [];
    const totalNs = list.reduce((a, w) => a + w.ns, 0);
    const split = list.filter((w) => w.gpuNs !== undefined);
    const splitNs = split.reduce((a, w) => a + w.ns, 0);
    const gpuNs = split.reduce((a, w) => a + (w.gpuNs ?? 0), 0);
    return [
      {
        kind,
        count: list.length,
        ...quantiles(list.map((w) => w.ns)),
        totalNs,
        splitCount: split.length,
        splitNs,
        gpuNs,
        latencyNs: splitNs - gpuNs,
      },
    ];
  });
}

/** What one thread's events add up to, its raw material for the whole program's figures kept beside. */
interface ThreadParts {
  readonly summary: ThreadSummary;
  readonly passes: LabelledPass[];
  readonly waits: MeasuredWait[];
  /** Per device of the thread: its samples of timing's cost. */
  readonly cost: { readonly calls: CostSides; readonly wait: CostSides }[];
}

type ThreadHeader = Extract<TraceEvent, { e: 'thread' }>;

interface LoggedPass extends PassTiming {
  readonly dev: number | null;
  readonly seq: number;
  readonly label: string;
  /** Null unless its reading passed. */
  readonly begin: number | null;
  readonly end: number | null;
}

interface LoggedWait {
  readonly kind: WaitKind;
  readonly dev: number | null;
  readonly at: number;
  readonly dur: number;
}

interface LoggedSubmit {
  readonly seq: number;
  readonly dev: number | null;
  readonly at: number;
  readonly callsNs: number;
}

/** A submit's key by its seq and device: one number, where a string key per submit would cost more. */
const submitKey = (seq: number, dev: number | null): number => seq * 65_536 + (dev ?? 0);

/** Whether a pass wrote wgprof's timestamps (whatever its reading), so that its submit paid for them. */
const wrote = (code: TimingCode): boolean => code >= TIMING.timed && code <= TIMING.unread;

/** The timestamps' verdict a thread's figures are made under. */
interface GpuVerdict {
  /** False: no GPU figure at all. */
  readonly trusted: boolean;
}

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
  private readonly submits: LoggedSubmit[] = [];
  private readonly devices = new Map<number, { adapter: string; timestamps: boolean }>();
  /** Per device, why its query set could not be made (or a budget it was past). */
  private readonly querySetFailures = new Map<number, string>();
  /** Query sets the recorder made in this thread. */
  querySets = 0;
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
      case 'querySet':
        if (e.made) this.querySets++;
        else if (e.reason !== undefined) this.querySetFailures.set(e.dev, e.reason);
        break;
      case 'submit':
        this.submits.push({ seq: e.seq, dev: e.dev, at: e.at, callsNs: e.dur + e.encodeCallsNs });
        break;
      case 'wait':
        this.waits.push({ kind: e.kind, dev: e.dev, at: e.at, dur: e.dur });
        break;
      case 'pass': {
        const code = passCode(e.code, e.gpuBegin);
        const ok = code === TIMING.timed && e.gpuBegin !== null && e.gpuEnd !== null;
        this.passes.push({
          dev: e.dev,
          seq: e.seq,
          label: e.label,
          code,
          untimed: e.untimed,
          begin: ok ? e.gpuBegin : null,
          end: ok ? e.gpuEnd : null,
          ns: ok ? e.gpuEnd - e.gpuBegin : Number.NaN,
        });
        break;
      }
      default:
        break;
    }
  }

  /** False for a thread that opened no device and submitted nothing: the summary leaves it out. */
  get counted(): boolean {
    return this.devices.size > 0 || this.submits.length > 0;
  }

  tally(): PassTally {
    return tallyPasses(this.passes);
  }

  /** Its readings' health, each device's apart (a device whose clock is stuck is so on its own), added. */
  health(exact: boolean): TimestampHealth {
    const byDevice = new Map<number | null, LoggedPass[]>();
    for (const p of this.passes) {
      const list = byDevice.get(p.dev) ?? [];
      list.push(p);
      byDevice.set(p.dev, list);
    }
    let health = NO_READINGS;
    for (const [dev, list] of byDevice)
      health = addHealth(
        health,
        deviceHealth(list, exact, dev === null ? undefined : this.querySetFailures.get(dev)),
      );
    return health;
  }

  /** Each submit with what its passes were (SubmitTiming), grouped by device. */
  private submitTimings(): Map<number, SubmitTiming[]> {
    const bySubmit = new Map<number, { passes: number; wrote: number; byChoice: number; ok: number }>();
    for (const p of this.passes) {
      const key = submitKey(p.seq, p.dev);
      const t = bySubmit.get(key) ?? { passes: 0, wrote: 0, byChoice: 0, ok: 0 };
      t.passes++;
      if (wrote(p.code)) t.wrote++;
      if (p.code === TIMING.untimed && p.untimed === 'by-choice') t.byChoice++;
      if (p.begin !== null) t.ok++;
      bySubmit.set(key, t);
    }
    const byDevice = new Map<number, SubmitTiming[]>();
    for (const s of this.submits) {
      if (s.dev === null) continue;
      const t = bySubmit.get(submitKey(s.seq, s.dev)) ?? { passes: 0, wrote: 0, byChoice: 0, ok: 0 };
      const list = byDevice.get(s.dev) ?? [];
      list.push({ at: s.at, callsNs: s.callsNs, ...t });
      byDevice.set(s.dev, list);
    }
    return byDevice;
  }

  parts(verdict: GpuVerdict): ThreadParts {
    const { trusted } = verdict;
    const submitAt = new Map(this.submits.map((s) => [submitKey(s.seq, s.dev), s.at]));
    // Pass events carry their submit's seq: pair them with its CPU time for the clock bounds.
    const timed = new Map<number, TimedPass[]>();
    for (const p of this.passes) {
      if (!trusted || p.dev === null || p.begin === null || p.end === null) continue;
      const at = submitAt.get(submitKey(p.seq, p.dev));
      if (at === undefined) continue;
      const list = timed.get(p.dev) ?? [];
      list.push({ submitAt: at, gpuBegin: p.begin, gpuEnd: p.end });
      timed.set(p.dev, list);
    }
    const waitsOf = new Map<number, LoggedWait[]>();
    for (const w of this.waits) {
      if (w.dev === null) continue;
      const list = waitsOf.get(w.dev) ?? [];
      list.push(w);
      waitsOf.set(w.dev, list);
    }
    const offsets = new Map<number, number>();
    const busy = new Map<number, Interval[]>();
    let gpuBusyNs = 0;
    for (const [dev, list] of timed) {
      // A device's onSubmittedWorkDone waits bound its clock's offset.
      const bounding = (waitsOf.get(dev) ?? [])
        .filter((w) => w.kind === 'onSubmittedWorkDone')
        .map((w) => ({ start: w.at, end: w.at + w.dur }));
      const offset = gpuClockOffset(clockBounds(list, bounding));
      offsets.set(dev, offset);
      const merged = mergeIntervals(
        list.map((p) => ({ start: p.gpuBegin + offset, end: p.gpuEnd + offset })),
      );
      busy.set(dev, merged);
      gpuBusyNs += coveredNs(merged);
    }
    // A wait's GPU busy time is known when every pass it waited for has a GPU time.
    const submits = this.submitTimings();
    const known = new Map<LoggedWait, boolean>();
    const cost: ThreadParts['cost'] = [];
    for (const [dev, list] of waitsOf) {
      const devSubmits = (submits.get(dev) ?? []).filter((s) => s.passes > 0);
      const covered = coveredSubmits(devSubmits, list);
      list.forEach((w, k) =>
        known.set(
          w,
          trusted && (covered[k] ?? []).every((i) => (devSubmits[i]?.ok ?? 0) === devSubmits[i]?.passes),
        ),
      );
    }
    for (const [dev, list] of submits) cost.push(costSamples(list, waitsOf.get(dev) ?? []));
    const waits: MeasuredWait[] = this.waits.map((w) => {
      const merged = w.dev === null ? undefined : busy.get(w.dev);
      const split = known.get(w) === true;
      return {
        kind: w.kind,
        ns: w.dur,
        gpuNs: !split ? undefined : merged ? overlapNs(merged, w.at, w.at + w.dur) : 0,
      };
    });
    const labelled: LabelledPass[] = this.passes.map((p) => ({
      label: p.label,
      ns: trusted && p.begin !== null && p.end !== null ? p.end - p.begin : Number.NaN,
    }));
    const calls: CallsByKind = this.calls;
    const { pid = 0, threadId = 0, main = true } = this.header ?? {};
    return {
      passes: labelled,
      waits,
      cost,
      summary: {
        pid,
        threadId,
        name: main ? `main thread (pid ${pid})` : `worker ${threadId} (pid ${pid})`,
        devices: [...this.devices].map(([id, d]) => ({ id, ...d, clockOffsetNs: offsets.get(id) ?? 0 })),
        startNs: Number.isFinite(this.start) ? this.start : 0,
        endNs: Number.isFinite(this.end) ? this.end : 0,
        calls,
        insideGpuCallsNs: totalOf(calls),
        submits: this.submits.length,
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
  private readonly coverage = new CoverageCheck();

  /** `gpuTime`: the --gpu-time the program was traced with. */
  constructor(private readonly gpuTime: GpuTimePlan = DEFAULT_GPU_TIME) {}

  /** The next thread's log: its events go to the returned function, in the order it logged them. */
  thread(): (e: TraceEvent) => void {
    const thread = new ThreadAccumulator();
    this.threads.push(thread);
    const reached = this.coverage.thread();
    return (e) => {
      thread.add(e);
      reached(e);
      if (e.e === 'instance') this.instances.push(e.quantizationOff);
      if (e.e === 'webgpu') this.webgpu.push({ path: e.path, createPatched: e.createPatched });
    };
  }

  /** True when at least one thread of the program opened a WebGPU device. */
  get usedWebGpu(): boolean {
    return this.threads.some((t) => t.counted);
  }

  summary(): TraceSummary {
    const counted = this.threads.filter((t) => t.counted);
    const quantizationOff = this.instances.length === 0 ? undefined : this.instances.every(Boolean);
    const timing = this.timing(counted, quantizationOff === true);
    const parts = counted.map((t) => t.parts({ trusted: timing.timestamps.trusted }));
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
      timing: this.gpuTime.mode === 'sample' ? { ...timing, cost: cost(parts) } : timing,
      timestamps:
        timedDevices === devices.length && devices.length > 0 ? 'all' : timedDevices > 0 ? 'some' : 'none',
      quantizationOff,
      webgpu: this.webgpu,
      uncovered: this.coverage.uncovered(),
    };
  }

  /** The passes by fate and the readings' verdict (judgeTimestamps), of every thread together. */
  private timing(threads: readonly ThreadAccumulator[], exact: boolean): TraceTiming {
    const health = threads.reduce((h, t) => addHealth(h, t.health(exact)), NO_READINGS);
    const verdict = judgeTimestamps(health);
    return {
      gpuTime: formatGpuTime(this.gpuTime),
      querySets: threads.reduce((n, t) => n + t.querySets, 0),
      passes: threads.reduce((sum, t) => addTallies(sum, t.tally()), NO_PASSES),
      timestamps: {
        ...health,
        trusted: verdict.trusted,
        ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
      },
    };
  }
}

/** What timing cost per pass, from every thread's devices' samples. */
function cost(parts: readonly ThreadParts[]): TraceTimingCost {
  const groups = parts.flatMap((p) => p.cost);
  return {
    calls: costMeasure(groups.map((g) => g.calls)),
    wait: costMeasure(groups.map((g) => g.wait)),
  };
}

/** The figures of a traced program from its threads' logs: per thread, and for the whole program. */
export function summarizeTrace(
  logs: readonly ThreadLog[],
  gpuTime: GpuTimePlan = DEFAULT_GPU_TIME,
): TraceSummary {
  const trace = new TraceAccumulator(gpuTime);
  for (const log of logs) {
    const add = trace.thread();
    for (const e of log.events) add(e);
  }
  return trace.summary();
}
