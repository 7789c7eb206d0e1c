import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { eventShares, type StoredEvents } from './event-cap.js';
import { logFiles, parseEventLine, type ThreadLog } from './event-log.js';
import type { GpuTimePlan } from '../config/gpu-time.js';
import { TraceAccumulator, type TraceSummary } from './trace-summary.js';

/** What wgprof makes of a traced program's log folder once the program has gone. */
export interface TraceRead {
  /** Each thread's first events, at most `maxEvents` in all (event-cap.ts). */
  readonly logs: ThreadLog[];
  /** Of every event logged, kept or not. */
  readonly summary: TraceSummary;
  readonly usedWebGpu: boolean;
  readonly events: StoredEvents;
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` with each line of the file, read a chunk at a time: a log may be larger than a
 * string can be. Lines are cut at newline bytes, which never occur inside a UTF-8 character.
 */
function forEachLine(path: string, onLine: (line: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let rest = Buffer.alloc(0);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
        onLine(data.toString('utf8', start, end));
        start = end + 1;
      }
      // A copy: the chunk is read into again.
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length > 0) onLine(rest.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** The number of complete lines of the file (a last line cut short by a crash is not one). */
function countLines(path: string): number {
  let lines = 0;
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk))
      for (let at = chunk.indexOf(NEWLINE); at >= 0 && at < read; at = chunk.indexOf(NEWLINE, at + 1))
        lines++;
  } finally {
    closeSync(fd);
  }
  return lines;
}

/**
 * Reads every thread log in `dir`, one event at a time: each event goes to the summary, and the
 * first ones of each thread, up to its share of `maxEvents`, are kept for result.json.
 * `gpuTime`: the --gpu-time the program ran with (the preload's default when absent).
 */
export function readTrace(dir: string, maxEvents: number, gpuTime?: GpuTimePlan): TraceRead {
  const files = logFiles(dir);
  const shares = eventShares(
    files.map((f) => countLines(join(dir, f))),
    maxEvents,
  );
  const trace = new TraceAccumulator(gpuTime);
  let logged = 0;
  const logs = files.map((file, k): ThreadLog => {
    const add = trace.thread();
    const share = shares[k] ?? 0;
    const events: ThreadLog['events'] = [];
    forEachLine(join(dir, file), (line) => {
      const event = parseEventLine(line);
      if (!event) return;
      logged++;
      add(event);
      if (events.length < share) events.push(event);
    });
    return { file, events };
  });
  const kept = logs.reduce((sum, l) => sum + l.events.length, 0);
  return {
    logs,
    summary: trace.summary(),
    usedWebGpu: trace.usedWebGpu,
    events: { logged, kept, dropped: logged - kept, max: maxEvents },
  };
}
