import type { CreationCall, WaitKind } from '../instrument/instrumentation-hook.js';

/**
 * The events a traced program's threads log (one JSON object a line, one file per thread) and
 * the parent reads back: the protocol between trace/preload.ts, inside the program, and
 * `wgprof trace`. Times are process.hrtime.bigint() readings as numbers (ns): one monotonic
 * clock for every thread and, on Linux and macOS, every process of the machine. GPU times
 * (`gpuBegin`, `gpuEnd`) are raw timestamps on the GPU's own clock, ns.
 */
export type TraceEvent =
  | {
      readonly e: 'thread';
      readonly pid: number;
      readonly threadId: number;
      readonly main: boolean;
      /** The program's script (the main thread's argv[1]), or the worker's. */
      readonly script: string;
      readonly at: number;
      /**
       * In a child process's main thread: the `child` event's token its parent gave it
       * (SPAWN_TOKEN_VARIABLE), so that the parent's record of it can be matched. Absent in the
       * traced program itself, and in logs before wgprof followed children.
       */
      readonly token?: string;
    }
  /**
   * A thread or process this thread started, as the preload saw it start: a worker by its
   * `threadId` (in this process), a child process by the `token` its environment carries. One
   * that never logs a `thread` event of its own ran without the preload: its GPU work is not traced.
   */
  | {
      readonly e: 'child';
      readonly kind: SpawnKind;
      /** What it runs, in a few words: the worker's file or URL, the command line. */
      readonly what: string;
      readonly threadId?: number;
      readonly token?: string;
      readonly at: number;
    }
  /** A thread or process the preload knew at its start it could not trace, and why. */
  | {
      readonly e: 'uncovered';
      readonly kind: SpawnKind;
      readonly what: string;
      readonly why: string;
      readonly at: number;
    }
  /** A copy of dawn.node was loaded and instrumented; `createPatched`: its create() adds wgprof's flag. */
  | { readonly e: 'webgpu'; readonly path: string; readonly createPatched: boolean; readonly at: number }
  /** A create() call: the flags it was given and whether timestamp quantization was turned off. */
  | {
      readonly e: 'instance';
      readonly flags: readonly string[];
      readonly quantizationOff: boolean;
      readonly at: number;
    }
  | {
      readonly e: 'device';
      readonly dev: number;
      readonly at: number;
      readonly dur: number;
      readonly adapter: string;
      readonly timestamps: boolean;
    }
  | {
      readonly e: 'create';
      readonly dev: number;
      readonly call: CreationCall;
      readonly at: number;
      readonly dur: number;
    }
  | {
      readonly e: 'buffer';
      readonly dev: number;
      readonly at: number;
      readonly dur: number;
      readonly bytes: number;
      readonly mapped: boolean;
    }
  | {
      readonly e: 'upload';
      readonly dev: number | null;
      readonly at: number;
      readonly dur: number;
      readonly bytes: number;
    }
  | {
      readonly e: 'submit';
      readonly dev: number | null;
      readonly seq: number;
      readonly at: number;
      /** The submit call itself. */
      readonly dur: number;
      /** From the first of its encoders' creation to the submit call: the CPU's encoding, wall time. */
      readonly encodeNs: number;
      /** Inside createCommandEncoder and finish for its encoders. */
      readonly encodeCallsNs: number;
      readonly passes: number;
      readonly commandBuffers: number;
    }
  | {
      readonly e: 'pass';
      readonly dev: number | null;
      /** The submit that carried it. */
      readonly seq: number;
      readonly label: string;
      /**
       * The GPU's stamps at its begin and end; null unless wgprof timed it and the reading passed
       * every check (`code` 1): a failed reading is no figure.
       */
      readonly gpuBegin: number | null;
      readonly gpuEnd: number | null;
      /**
       * What became of its timing, as TIMING (device/timestamp-check.ts) codes it: 0 untimed
       * (`untimed` says why), 1 timed and its reading passed, 2 zero, 3 reversed, 4 longer than
       * its submit-to-read-back span on the CPU clock, 5 written and never read back, 6 to be
       * timed but its device's query set could not be made. Absent in logs before wgprof checked.
       */
      readonly code?: number;
      /** With code 0: why wgprof wrote no timestamps for it. */
      readonly untimed?: UntimedReason;
    }
  /**
   * wgprof's query set for a device's timed passes: made (its error scopes came back empty), or
   * not, and why (it could not be made; or the thread was past its budget of query sets).
   */
  | {
      readonly e: 'querySet';
      readonly dev: number;
      readonly at: number;
      readonly made: boolean;
      readonly reason?: string;
    }
  | {
      readonly e: 'wait';
      readonly dev: number | null;
      readonly kind: WaitKind;
      readonly at: number;
      readonly dur: number;
    }
  | { readonly e: 'destroy'; readonly dev: number; readonly at: number };

export type TraceEventKind = TraceEvent['e'];

/** How a thread or process was started: a worker thread, or a child process. */
export type SpawnKind = 'worker' | 'process';

/**
 * Why a pass has no timestamps of wgprof's: `by-choice` (--gpu-time sampled it out, or is none),
 * its own timestampWrites (the program times it: left untouched), a device without
 * timestamp-query, a device past the thread's budget of query sets (QUERY_SET_BUDGET), or no
 * slot free in its device's query set.
 */
export const UNTIMED_REASONS = [
  'by-choice',
  'own-writes',
  'no-timestamp-query',
  'over-budget',
  'no-slot',
] as const;
export type UntimedReason = (typeof UNTIMED_REASONS)[number];

/** The environment variable that tells the preload where to write its threads' logs. */
export const TRACE_DIR_VARIABLE = 'WGPROF_TRACE_DIR';

/**
 * The environment variable that tells the preload which passes to time: --gpu-time as
 * formatGpuTime gives it back (sample, 1/N, every, none); unset or unreadable, the default.
 */
export const TRACE_GPU_TIME_VARIABLE = 'WGPROF_TRACE_GPU_TIME';

/**
 * The environment variable that carries a child process's token (its parent's `child` event) to
 * the preload in it: matched against the token its main thread logs, even through a shell or
 * another program between them.
 */
export const SPAWN_TOKEN_VARIABLE = 'WGPROF_TRACE_SPAWN';

/**
 * The file a traced process writes in that folder when it gets SIGINT or SIGTERM itself: Ctrl-C
 * signals the terminal's whole process group, and wgprof, seeing it, does not send a second one.
 */
export const signalMarkerFile = (pid: number): string => `signal-${pid}`;
