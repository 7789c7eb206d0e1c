import type { SpawnKind, TraceEvent } from './trace-events.js';

/**
 * What the preload in one thread needs to carry the trace into the threads and processes it
 * starts (cover-workers.ts, cover-processes.ts): itself, the trace's variables, and its log.
 */
export interface TraceReach {
  /** The preload as `--import` takes it (a file: URL). */
  readonly preloadUrl: string;
  /** The preload as a path, for `require()` where `--import` does not run (code given as a string). */
  readonly preloadPath: string;
  /** The trace's environment variables (its log folder, --gpu-time), as this thread got them. */
  readonly variables: Readonly<Record<string, string>>;
  /** Logs an event of this thread's. */
  readonly emit: (event: TraceEvent) => void;
}

/** The longest `what` an event carries: a command line can be as long as the program likes. */
const WHAT_CHARS = 200;

/** A thread's or process's description for the trace, on one line and at most WHAT_CHARS long. */
export function describeSpawn(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > WHAT_CHARS ? `${line.slice(0, WHAT_CHARS - 3)}...` : line;
}

/** Logs that a thread or process was started and how to recognise its log. */
export function childEvent(
  kind: SpawnKind,
  what: string,
  key: { readonly threadId: number } | { readonly token: string },
): TraceEvent {
  return { e: 'child', kind, what: describeSpawn(what), ...key, at: Number(process.hrtime.bigint()) };
}

/** Logs a thread or process the preload knew, at its start, it could not trace. */
export function uncoveredEvent(kind: SpawnKind, what: string, why: string): TraceEvent {
  return { e: 'uncovered', kind, what: describeSpawn(what), why, at: Number(process.hrtime.bigint()) };
}

/** `--import=URL` added to NODE_OPTIONS, once: the program's own options kept, in their order. */
export function withPreloadOption(nodeOptions: string | undefined, preloadUrl: string): string {
  const option = `--import=${preloadUrl}`;
  const given = nodeOptions ?? '';
  if (given.split(/\s+/).includes(option)) return given;
  return given.trim() === '' ? option : `${given} ${option}`;
}
