import type { SpawnKind, TraceEvent } from './trace-events.js';

/**
 * Threads and processes of the traced program whose GPU work the trace does not hold, alike ones
 * counted together: what they ran, why they were not traced, and how many there were.
 */
export interface UncoveredWork {
  readonly kind: SpawnKind;
  readonly what: string;
  readonly why: string;
  readonly count: number;
}

/** Why a started thread or process that never logged is not traced, by its kind. */
export const NEVER_LOGGED: Readonly<Record<SpawnKind, string>> = {
  worker:
    "wgprof's preload never ran in it: it ended before its first line (terminate(), a bad option), or its options kept the preload out",
  process:
    "wgprof's preload never ran in it: it is not a Node program, or a Node that ran no JavaScript (node --version) or could not load the preload (one older than 18.18, or a 19 or 20 older than 20.6, has no --import)",
};

interface Started {
  readonly kind: SpawnKind;
  readonly what: string;
  /** `pid-threadId` for a worker, the token for a process. */
  readonly key: string;
}

/**
 * Reads, among a trace's events, which threads and processes were started and which logged
 * themselves: those that did not, and those the preload said it could not reach, are uncovered.
 */
export class CoverageCheck {
  private readonly reached = new Set<string>();
  private readonly started: Started[] = [];
  private readonly known: Omit<UncoveredWork, 'count'>[] = [];

  /** The next thread's log: its events go to the returned function, in the order it logged them. */
  thread(): (e: TraceEvent) => void {
    let pid: number | undefined;
    return (e) => {
      switch (e.e) {
        case 'thread':
          pid ??= e.pid;
          this.reached.add(`${e.pid}-${e.threadId}`);
          if (e.token !== undefined) this.reached.add(e.token);
          break;
        case 'child': {
          const key = e.kind === 'worker' ? `${pid ?? 0}-${e.threadId ?? -1}` : e.token;
          if (key !== undefined) this.started.push({ kind: e.kind, what: e.what, key });
          break;
        }
        case 'uncovered':
          this.known.push({ kind: e.kind, what: e.what, why: e.why });
          break;
        default:
          break;
      }
    };
  }

  /** What is not traced, alike ones together, in the order first seen. */
  uncovered(): UncoveredWork[] {
    const missing = this.started
      .filter((s) => !this.reached.has(s.key))
      .map((s) => ({ kind: s.kind, what: s.what, why: NEVER_LOGGED[s.kind] }));
    const groups = new Map<string, { kind: SpawnKind; what: string; why: string; count: number }>();
    for (const u of [...this.known, ...missing]) {
      const key = JSON.stringify([u.kind, u.what, u.why]);
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { ...u, count: 1 });
    }
    return [...groups.values()];
  }
}
