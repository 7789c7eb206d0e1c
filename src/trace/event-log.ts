import { appendFileSync, readdirSync } from 'node:fs';
import type { TraceEvent } from './trace-events.js';

/**
 * One thread's event log: events kept in memory and appended to its JSON-lines file by `flush`
 * (sync I/O, so it works in an 'exit' listener). The preload flushes every 100 ms and at exit, so
 * a program that crashes keeps what was recorded up to its last flush.
 */
export class EventLog {
  private lines: string[] = [];
  private sealed = false;

  constructor(readonly path: string) {}

  push(event: TraceEvent): void {
    if (!this.sealed) this.lines.push(JSON.stringify(event));
  }

  /** Flushes for the last time: what is pushed after is dropped (the process is about to die). */
  seal(): void {
    this.flush();
    this.sealed = true;
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    try {
      appendFileSync(this.path, text);
    } catch {
      // The parent removed the folder (it gave up on the program): nothing to keep.
    }
  }
}

/** One thread's events as read back: its file's name and the events, in the order logged. */
export interface ThreadLog {
  readonly file: string;
  readonly events: TraceEvent[];
}

/** One line of a log as its event; undefined for a blank line or one torn by a crash (only ever the last). */
export function parseEventLine(line: string): TraceEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as TraceEvent;
  } catch {
    return undefined;
  }
}

/** The events of one file; a last line cut short by a crash is dropped. */
export function parseEventLines(text: string): TraceEvent[] {
  return text.split('\n').flatMap((line) => parseEventLine(line) ?? []);
}

/** The thread logs in `dir`, sorted by process then thread (file names are `PID-THREAD.jsonl`). */
export function logFiles(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  const key = (f: string): [number, number] => {
    const [pid = 0, tid = 0] = f.replace('.jsonl', '').split('-').map(Number);
    return [pid, tid];
  };
  return files.sort((a, b) => {
    const [pa, ta] = key(a);
    const [pb, tb] = key(b);
    return pa - pb || ta - tb;
  });
}
