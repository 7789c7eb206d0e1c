import type { TraceResult } from '../results/result-types.js';
import type { TraceEvent as LoggedEvent } from '../trace/trace-events.js';
import { gpuFiguresShown } from './trace-timing.js';
import type { TraceEvent, TraceFile } from './trace.js';

/** GPU tracks get ids from here up, one per device of each thread. */
const GPU_BASE = 1_000_000;

function sliceName(e: LoggedEvent): string | undefined {
  switch (e.e) {
    case 'device':
      return 'requestDevice';
    case 'create':
      return e.call;
    case 'buffer':
      return 'createBuffer';
    case 'upload':
      return 'writeBuffer';
    case 'submit':
      return 'submit';
    case 'wait':
      return e.kind;
    default:
      return undefined;
  }
}

/** One thread of a trace as the timelines name it, and its devices' clock offsets. */
interface TimelineThread {
  readonly pid: number;
  readonly tid: number;
  readonly name: string;
  /** Added to a device's GPU timestamps to put them on the process's clock, ns. */
  readonly offsets: ReadonlyMap<number, number>;
}

function timelineThread(result: TraceResult, events: readonly LoggedEvent[], k: number): TimelineThread {
  const header = events.find((e) => e.e === 'thread');
  const pid = header?.e === 'thread' ? header.pid : 1;
  const tid = header?.e === 'thread' ? header.threadId : k;
  const summary = result.summary.threads.find((t) => t.pid === pid && t.threadId === tid);
  const name = summary?.name ?? (tid === 0 ? 'main thread' : `worker ${tid}`);
  return { pid, tid, name, offsets: new Map((summary?.devices ?? []).map((d) => [d.id, d.clockOffsetNs])) };
}

/** What a bar of the timeline stands for: a kind of call on a thread, or a pass on a device. */
export type TimelineBarKind = 'creation' | 'upload' | 'encoding and submit' | 'wait' | 'compute pass';

/** One bar of the timeline: on a thread's lane (its call) or on a device's lane (a pass). */
export interface TimelineBar {
  /** The lane's name: the thread's, or `GPU: <thread>, device N`. */
  readonly lane: string;
  /** Lanes in the order they are drawn: each thread, then its devices. */
  readonly laneOrder: number;
  readonly kind: TimelineBarKind;
  /** The call (requestDevice, submit, mapAsync, ...) or the pass's label. */
  readonly name: string;
  /** ns since the program was spawned, on the process's clock. */
  readonly startNs: number;
  readonly endNs: number;
}

function barKind(e: LoggedEvent): TimelineBarKind {
  if (e.e === 'upload') return 'upload';
  if (e.e === 'submit') return 'encoding and submit';
  if (e.e === 'wait') return 'wait';
  return 'creation';
}

/**
 * The same slices as {@link toTraceTimeline}, as bars for wgprof's own timeline chart: every
 * thread's timed calls on its lane, and every timed pass on its device's lane, moved onto the
 * process's clock by the same offsets. Times in ns since the spawn.
 */
export function timelineBars(result: TraceResult): TimelineBar[] {
  const origin = Number(result.program.startNs);
  const bars: TimelineBar[] = [];
  // Untrusted timestamps: no GPU lane, not even of the readings that passed on their own.
  const gpu = gpuFiguresShown(result.summary);
  let order = 0;
  for (const [k, thread] of result.threads.entries()) {
    const { name, offsets } = timelineThread(result, thread.events, k);
    const threadOrder = order++;
    const gpuLanes = new Map<number, number>();
    for (const e of thread.events) {
      const slice = sliceName(e);
      if (slice !== undefined && 'at' in e && 'dur' in e)
        bars.push({
          lane: name,
          laneOrder: threadOrder,
          kind: barKind(e),
          name: slice,
          startNs: e.at - origin,
          endNs: e.at + e.dur - origin,
        });
      if (gpu && e.e === 'pass' && e.gpuBegin !== null && e.gpuEnd !== null && e.dev !== null) {
        let laneOrder = gpuLanes.get(e.dev);
        if (laneOrder === undefined) {
          laneOrder = order++;
          gpuLanes.set(e.dev, laneOrder);
        }
        const offset = offsets.get(e.dev) ?? 0;
        bars.push({
          lane: `GPU: ${name}, device ${e.dev}`,
          laneOrder,
          kind: 'compute pass',
          name: e.label,
          startNs: e.gpuBegin + offset - origin,
          endNs: e.gpuEnd + offset - origin,
        });
      }
    }
  }
  return bars;
}

/**
 * A traced program as Chrome Trace Event JSON (Perfetto's UI opens it): one process per process
 * of the program, one track per thread with a slice per WebGPU call wgprof timed (device and
 * object creation, uploads, submits, waits), and one track per device with its compute passes,
 * moved onto the process's clock by the offset the summary found. Times in us since the spawn.
 */
export function toTraceTimeline(result: TraceResult): TraceFile {
  const origin = Number(result.program.startNs);
  const us = (ns: number): number => (ns - origin) / 1000;
  const events: TraceEvent[] = [];
  const pids = new Set<number>();
  const gpu = gpuFiguresShown(result.summary);
  for (const [k, thread] of result.threads.entries()) {
    const { pid, tid, name, offsets } = timelineThread(result, thread.events, k);
    if (!pids.has(pid)) {
      pids.add(pid);
      events.push({
        name: 'process_name',
        ph: 'M',
        pid,
        tid: 0,
        args: { name: `traced program (pid ${pid})` },
      });
    }
    events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name } });
    const gpuTracks = new Set<number>();
    for (const e of thread.events) {
      const slice = sliceName(e);
      if (slice !== undefined && 'at' in e && 'dur' in e) {
        const args: Record<string, string | number> = {};
        if (e.e === 'submit') {
          args.passes = e.passes;
          args['encoding since the encoder was made (us)'] = e.encodeNs / 1000;
        }
        if (e.e === 'buffer' || e.e === 'upload') args.bytes = e.bytes;
        events.push({ name: slice, cat: e.e, ph: 'X', ts: us(e.at), dur: e.dur / 1000, pid, tid, args });
      }
      if (gpu && e.e === 'pass' && e.gpuBegin !== null && e.gpuEnd !== null && e.dev !== null) {
        const gpuTid = GPU_BASE + tid * 100 + e.dev;
        if (!gpuTracks.has(gpuTid)) {
          gpuTracks.add(gpuTid);
          events.push({
            name: 'thread_name',
            ph: 'M',
            pid,
            tid: gpuTid,
            args: { name: `GPU: ${name}, device ${e.dev}` },
          });
        }
        const offset = offsets.get(e.dev) ?? 0;
        events.push({
          name: e.label,
          cat: 'gpu',
          ph: 'X',
          ts: us(e.gpuBegin + offset),
          dur: (e.gpuEnd - e.gpuBegin) / 1000,
          pid,
          tid: gpuTid,
          args: { submit: e.seq },
        });
      }
    }
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ns',
    otherData: {
      tool: 'wgprof trace',
      program: result.program.command.join(' '),
      createdAt: result.createdAt,
      originNs: result.program.startNs,
    },
  };
}
