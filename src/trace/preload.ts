import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';
import {
  instrumentWebGpu,
  setActiveRecorder,
  setAddTimestampQuery,
  setCatchUncapturedErrors,
  type WebGpuClasses,
} from '../instrument/webgpu-instrumentation.js';
import { coverProcesses } from './cover-processes.js';
import { coverWorkers } from './cover-workers.js';
import { withUnquantizedTimestamps } from './dawn-flags.js';
import { STOP_SIGNALS } from './end-program.js';
import { EventLog } from './event-log.js';
import {
  signalMarkerFile,
  SPAWN_TOKEN_VARIABLE,
  TRACE_DIR_VARIABLE,
  TRACE_GPU_TIME_VARIABLE,
  type TraceEvent,
} from './trace-events.js';
import { TraceRecorder } from './trace-recorder.js';
import { gpuTimeFromEnv } from './trace-sampling.js';
import { answerFlushes, WorkerFlushes } from './worker-flushes.js';

/** How long a process about to die of a signal waits for its workers to flush their logs, ms. */
const WORKER_FLUSH_MS = 200;

/**
 * What `wgprof trace` preloads into every thread of the program (`node --import`, inherited by
 * its workers through execArgv, and by its child processes through NODE_OPTIONS; carried into
 * the threads and processes the program starts with options of its own by cover-workers.ts and
 * cover-processes.ts, which log each one, so that one the preload never reached is reported).
 * It imports no copy of `webgpu` itself: it waits for the program to load one. Whatever copy
 * the program's own `webgpu` package loads (its dawn.node, found by Node from the program's
 * folder) is caught at its require, and then: its classes' prototypes are patched
 * (instrument/webgpu-instrumentation.ts), reporting to this thread's TraceRecorder, and its
 * create() adds the flag that turns timestamp quantization off. Which passes it times is
 * --gpu-time's choice (TRACE_GPU_TIME_VARIABLE). The log is flushed every 100 ms, at the
 * thread's exit and, in every thread, before the process dies of SIGINT or SIGTERM
 * (worker-flushes.ts).
 */
const MARK = Symbol.for('wgprof.trace.preloaded');
const dir = process.env[TRACE_DIR_VARIABLE];
const scope = globalThis as Record<symbol, unknown>;

interface DawnExports {
  create?: (flags?: string[]) => unknown;
  globals?: unknown;
}

function isDawn(exports: unknown): exports is DawnExports {
  return typeof exports === 'object' && exports !== null && 'globals' in exports && 'create' in exports;
}

if (dir && !scope[MARK]) {
  scope[MARK] = true;
  const log = new EventLog(join(dir, `${process.pid}-${threadId}.jsonl`));
  const gpuTime = gpuTimeFromEnv(process.env[TRACE_GPU_TIME_VARIABLE]);
  const recorder = new TraceRecorder(log, gpuTime);
  // --gpu-time none: the program's devices open exactly as it asked, without timestamp-query added.
  setAddTimestampQuery(gpuTime.mode !== 'none');
  const now = (): number => Number(process.hrtime.bigint());
  const token = isMainThread ? process.env[SPAWN_TOKEN_VARIABLE] : undefined;
  recorder.emit({
    e: 'thread',
    pid: process.pid,
    threadId,
    main: isMainThread,
    script: process.argv[1] ?? '',
    at: now(),
    ...(token === undefined ? {} : { token }),
  });
  // At once: a thread that dies before its first flush was still reached by the preload.
  log.flush();
  const gpuTimeVariable = process.env[TRACE_GPU_TIME_VARIABLE];
  const reach = {
    preloadUrl: import.meta.url,
    preloadPath: fileURLToPath(import.meta.url),
    variables: {
      [TRACE_DIR_VARIABLE]: dir,
      ...(gpuTimeVariable === undefined ? {} : { [TRACE_GPU_TIME_VARIABLE]: gpuTimeVariable }),
    },
    emit: (event: TraceEvent) => recorder.emit(event),
  };
  coverWorkers(reach);
  coverProcesses(reach);
  setCatchUncapturedErrors(false);
  setActiveRecorder(recorder);

  const seen = new WeakSet<object>();
  const prototype = Module.prototype as { require: (this: unknown, id: string) => unknown };
  const require = prototype.require;
  prototype.require = function (this: unknown, id: string): unknown {
    const exports = require.call(this, id);
    if (typeof id === 'string' && id.endsWith('.node') && isDawn(exports) && !seen.has(exports)) {
      seen.add(exports);
      instrumentWebGpu(exports.globals as WebGpuClasses);
      const create = exports.create;
      let createPatched = false;
      if (typeof create === 'function') {
        try {
          exports.create = function (this: unknown, flags?: string[]) {
            const asked = withUnquantizedTimestamps(Array.isArray(flags) ? flags : []);
            recorder.emit({
              e: 'instance',
              flags: asked.flags,
              quantizationOff: asked.quantizationOff,
              at: now(),
            });
            return create.call(this, asked.flags);
          };
          createPatched = exports.create !== create;
        } catch {
          createPatched = false;
        }
      }
      recorder.emit({ e: 'webgpu', path: id, createPatched, at: now() });
    }
    return exports;
  };

  const flush = (): void => log.flush();
  setInterval(flush, 100).unref();
  process.on('exit', () => {
    recorder.finish();
    flush();
  });
  if (isMainThread) {
    const workers = new WorkerFlushes();
    let dying = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      try {
        writeFileSync(join(dir, signalMarkerFile(process.pid)), signal);
      } catch {
        // The folder is gone: wgprof is no longer waiting for this process.
      }
      // The program has a listener of its own: it decides what the signal does, and its exit flushes.
      if (process.listenerCount(signal) > 1) {
        flush();
        void workers.flushAll(false, 0);
        return;
      }
      if (dying) return;
      dying = true;
      // Killed by a signal, a process runs no 'exit' listener: its threads flush, then it dies of
      // the signal as it would have (the program runs on meanwhile, at most WORKER_FLUSH_MS).
      void workers.flushAll(true, WORKER_FLUSH_MS).then(() => {
        recorder.finish();
        flush();
        for (const s of STOP_SIGNALS) process.off(s, onSignal);
        process.kill(process.pid, signal);
      });
    };
    // Kept on (not once): a second signal meanwhile must not kill the process halfway.
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
  } else {
    answerFlushes((final) => {
      if (!final) {
        flush();
        return;
      }
      // The process dies once its workers have answered: what this one logs after would be torn
      // (a submit flushed, its pass not).
      recorder.finish();
      log.seal();
    });
  }
}
