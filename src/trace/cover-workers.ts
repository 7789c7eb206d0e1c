import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { WorkerOptions } from 'node:worker_threads';
import { childEvent, uncoveredEvent, type TraceReach } from './trace-reach.js';
import { TRACE_DIR_VARIABLE } from './trace-events.js';

type WorkerThreads = typeof import('node:worker_threads');
type WorkerClass = WorkerThreads['Worker'];

/** Set on the Proxy that stands for `Worker` once a thread has patched it. */
const COVERED = Symbol.for('wgprof.trace.coveredWorker');

/**
 * After a code string's directive prologue ('use strict' must stay its first statement), where
 * the preload's require() can go without changing how the rest is read.
 */
const PROLOGUE = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*(?:(['"])use strict\1\s*;?)?/;

/**
 * Code given as a string with the preload required first. Node runs no `--import` for code given
 * as a string (`eval: true`; seen on Node 20.20), but it has `require`, which loads the ES-module
 * preload synchronously (Node 20.19 and later), before the program's code loads any `webgpu`. On
 * the code's first line, so its line numbers stay the program's.
 */
export function withPreloadRequire(code: string, preloadPath: string): string {
  const at = PROLOGUE.exec(code)?.[0].length ?? 0;
  return `${code.slice(0, at)}require(${JSON.stringify(preloadPath)});${code.slice(at)}`;
}

/** The flag that takes require() of ES modules away, and with it the preload from code given as a string. */
const NO_REQUIRE_ESM = '--no-experimental-require-module';

/** A worker's arguments as the trace starts it, and why it cannot be traced when it cannot. */
export interface TracedWorker {
  readonly script: unknown;
  readonly options: WorkerOptions | undefined;
  readonly uncovered?: string;
}

/**
 * A worker's arguments with the trace carried into it, the program's own options kept:
 * `--import` of the preload added to an execArgv of the program's (which replaces the inherited
 * one), the preload required first by code given as a string, and the trace's variables added to
 * an env of its own (SHARE_ENV shares the program's, which has them). Code given as a string
 * under --no-experimental-require-module cannot load the preload: it runs as given, `uncovered`.
 */
export function tracedWorkerArguments(
  script: unknown,
  options: WorkerOptions | undefined,
  reach: TraceReach,
  shareEnv: symbol,
): TracedWorker {
  const envKept = process.env[TRACE_DIR_VARIABLE] === reach.variables[TRACE_DIR_VARIABLE];
  if (options === undefined && envKept) return { script, options };
  const given: WorkerOptions = options ?? {};
  const isCode = given.eval === true && typeof script === 'string';
  if (isCode) {
    const flags = [...(given.execArgv ?? process.execArgv), ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
    if (flags.includes(NO_REQUIRE_ESM))
      return {
        script,
        options,
        uncovered: `code given as a string runs no --import, and under ${NO_REQUIRE_ESM} it cannot require() wgprof's preload either`,
      };
  }
  const next: WorkerOptions = { ...given };
  if (!isCode && Array.isArray(given.execArgv) && !hasImport(given.execArgv, reach.preloadUrl))
    next.execArgv = ['--import', reach.preloadUrl, ...given.execArgv];
  // Without an env of its own a worker copies process.env, which the program may have emptied.
  if (given.env === undefined && !envKept) next.env = { ...process.env, ...reach.variables };
  // Anything else (null, a wrong type) is left for Worker to refuse as it would untraced.
  else if (given.env !== shareEnv && typeof given.env === 'object' && (given.env as unknown) !== null)
    next.env = { ...given.env, ...reach.variables };
  return { script: isCode ? withPreloadRequire(script, reach.preloadPath) : script, options: next };
}

function hasImport(execArgv: readonly string[], preloadUrl: string): boolean {
  return execArgv.some(
    (arg, k) => arg === `--import=${preloadUrl}` || (arg === '--import' && execArgv[k + 1] === preloadUrl),
  );
}

/** What a worker runs, for the trace: its file or URL, or the first line of its code. */
function workerWhat(script: unknown, options: WorkerOptions | undefined): string {
  if (options?.eval === true && typeof script === 'string')
    return `code: ${script.trim().split('\n')[0] ?? ''}`;
  return script instanceof URL ? script.href : String(script);
}

/**
 * Makes every `new Worker(...)` of this thread carry the trace (tracedWorkerArguments) and log a
 * `child` event with its threadId. `Worker` becomes a Proxy of itself: `instanceof`, subclasses,
 * statics and its name are the program's as before. Once per thread; returns the undo.
 */
export function coverWorkers(reach: TraceReach): () => void {
  const threads = createRequire(import.meta.url)('node:worker_threads') as WorkerThreads;
  const original = threads.Worker;
  if ((original as unknown as Record<symbol, unknown>)[COVERED] === true) return () => undefined;
  const covered = new Proxy(original, {
    construct(target, args: unknown[], newTarget: WorkerClass) {
      const [script, given, ...rest] = args;
      const options = given as WorkerOptions | undefined;
      const traced = tracedWorkerArguments(script, options, reach, threads.SHARE_ENV);
      const worker = Reflect.construct(
        target,
        [traced.script, traced.options, ...rest],
        newTarget,
      ) as InstanceType<WorkerClass>;
      const what = workerWhat(script, options);
      reach.emit(
        traced.uncovered === undefined
          ? childEvent('worker', what, { threadId: worker.threadId })
          : uncoveredEvent('worker', what, traced.uncovered),
      );
      return worker;
    },
    get(target, key, receiver) {
      return key === COVERED ? true : (Reflect.get(target, key, receiver) as unknown);
    },
  });
  threads.Worker = covered;
  // The program's `import { Worker } from 'node:worker_threads'` reads the patched one too.
  syncBuiltinESMExports();
  return () => {
    threads.Worker = original;
    syncBuiltinESMExports();
  };
}
