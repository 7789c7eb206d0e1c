import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { endProgram } from './end-program.js';
import { readTrace, type TraceRead } from './read-trace.js';
import { formatGpuTime, type GpuTimePlan } from '../config/gpu-time.js';
import { TRACE_DIR_VARIABLE, TRACE_GPU_TIME_VARIABLE } from './trace-events.js';
import type { TraceInterrupts } from './trace-interrupts.js';

/** The preload, as `--import` takes it. */
export const PRELOAD_URL = new URL('./preload.js', import.meta.url).href;

export interface TraceRunOptions {
  /** The program's command line, as given after `--`. */
  readonly command: readonly string[];
  /** Stop the program after this long (SIGINT, then SIGTERM, then SIGKILL), ms. */
  readonly durationMs?: number;
  /** Events to keep for result.json, in all (the summary counts every one). */
  readonly maxEvents: number;
  /** wgprof's Ctrl-C handling, installed by the caller for the whole command; told of the program here. */
  readonly interrupts: TraceInterrupts;
  /** Which compute passes get wgprof's timestamps (--gpu-time); the preload's default when absent. */
  readonly gpuTime?: GpuTimePlan;
}

export interface TracedRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stoppedBy: 'exit' | 'duration' | 'interrupt';
  readonly startNs: bigint;
  readonly wallNs: number;
  /** Its threads' logs, read when it had gone. */
  readonly trace: TraceRead;
}

const isNode = (program: string): boolean =>
  program === process.execPath || /^node(\.exe)?$/.test(basename(program));

/**
 * The command to spawn: a `node` program gets the preload with `--import` (and the Node running
 * wgprof, so the preload's syntax is understood); anything else only through NODE_OPTIONS.
 * @throws WgprofError (usage) when there is no program, or node's script does not exist.
 */
export function tracedCommand(command: readonly string[]): { file: string; args: string[] } {
  const [program, ...args] = command;
  if (program === undefined || program === '')
    throw usageError('no program to trace: give it after --, e.g. wgprof trace -- node app.js');
  if (!isNode(program)) return { file: program, args };
  const script = args.find((a) => !a.startsWith('-'));
  if (script !== undefined && !existsSync(resolve(script)))
    throw usageError(`no such program: ${script} (from ${resolve(script)})`);
  return { file: process.execPath, args: ['--import', PRELOAD_URL, ...args] };
}

/**
 * The environment of a traced program: `env` with the preload added to NODE_OPTIONS (so its child
 * processes get it too), the folder its threads write their logs to and, when given, which
 * passes the preload times (else the preload's default, sample).
 */
export function tracedEnv(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  gpuTime?: GpuTimePlan,
): NodeJS.ProcessEnv {
  const nodeOptions = [env.NODE_OPTIONS, `--import=${PRELOAD_URL}`].filter(Boolean).join(' ');
  return {
    ...env,
    [TRACE_DIR_VARIABLE]: dir,
    NODE_OPTIONS: nodeOptions,
    ...(gpuTime === undefined ? {} : { [TRACE_GPU_TIME_VARIABLE]: formatGpuTime(gpuTime) }),
  };
}

/**
 * Runs the program with the preload in every thread, its stdin, stdout and stderr the terminal's
 * own, and reads its threads' logs after it exits. A Ctrl-C (SIGINT) or SIGTERM ends the program
 * (trace-interrupts.ts), whose logs are read when it has gone.
 */
export async function runTraced(options: TraceRunOptions): Promise<TracedRun> {
  const { file, args } = tracedCommand(options.command);
  const { interrupts } = options;
  const dir = mkdtempSync(join(tmpdir(), 'wgprof-trace-'));
  const startNs = process.hrtime.bigint();
  const child = spawn(file, args, { stdio: 'inherit', env: tracedEnv(dir, process.env, options.gpuTime) });
  interrupts.watch(child, dir);
  // An object: set by the timer's callback, which the type checker's flow analysis does not follow.
  const duration = { over: false };
  let cancel: (() => void) | undefined;
  const timer =
    options.durationMs === undefined
      ? undefined
      : setTimeout(() => {
          // A Ctrl-C came first: it is ending the program already.
          if (interrupts.interrupted) return;
          duration.over = true;
          cancel = endProgram(child, 'SIGINT');
        }, options.durationMs);
  try {
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          error.code === 'ENOENT'
            ? usageError(`no such program: ${options.command[0] ?? ''} (not found on PATH)`)
            : error,
        ),
      );
      child.once('exit', (code, signal) => done({ code, signal }));
    });
    const wallNs = Number(process.hrtime.bigint() - startNs);
    return {
      exitCode: ended.code,
      signal: ended.signal,
      stoppedBy: interrupts.interrupted ? 'interrupt' : duration.over ? 'duration' : 'exit',
      startNs,
      wallNs,
      trace: readTrace(dir, options.maxEvents, options.gpuTime),
    };
  } finally {
    interrupts.ended();
    clearTimeout(timer);
    cancel?.();
    rmSync(dir, { recursive: true, force: true });
  }
}
