import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { readEventLogs, type ThreadLog } from './event-log.js';
import { TRACE_DIR_VARIABLE } from './trace-events.js';

/** The preload, as `--import` takes it. */
export const PRELOAD_URL = new URL('./preload.js', import.meta.url).href;
/** After SIGINT, how long the program has before SIGTERM, and then before SIGKILL, ms. */
const GRACE_MS = 5000;

export interface TraceRunOptions {
  /** The program's command line, as given after `--`. */
  readonly command: readonly string[];
  /** Stop the program after this long (SIGINT, then SIGTERM, then SIGKILL), ms. */
  readonly durationMs?: number;
}

export interface TracedRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stoppedBy: 'exit' | 'duration' | 'interrupt';
  readonly startNs: bigint;
  readonly wallNs: number;
  readonly logs: ThreadLog[];
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
 * processes get it too) and the folder its threads write their logs to.
 */
export function tracedEnv(dir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const nodeOptions = [env.NODE_OPTIONS, `--import=${PRELOAD_URL}`].filter(Boolean).join(' ');
  return { ...env, [TRACE_DIR_VARIABLE]: dir, NODE_OPTIONS: nodeOptions };
}

/**
 * Runs the program with the preload in every thread, its stdin, stdout and stderr the terminal's
 * own, and reads its threads' logs after it exits. A first Ctrl-C (SIGINT) or SIGTERM to wgprof
 * is passed on to the program, whose logs are read when it has gone.
 */
export async function runTraced(options: TraceRunOptions): Promise<TracedRun> {
  const { file, args } = tracedCommand(options.command);
  const dir = mkdtempSync(join(tmpdir(), 'wgprof-trace-'));
  const startNs = process.hrtime.bigint();
  const child = spawn(file, args, { stdio: 'inherit', env: tracedEnv(dir) });
  let stoppedBy: TracedRun['stoppedBy'] = 'exit';
  const timers: NodeJS.Timeout[] = [];
  const escalate = (): void => {
    child.kill('SIGINT');
    timers.push(
      setTimeout(() => {
        child.kill('SIGTERM');
        timers.push(setTimeout(() => child.kill('SIGKILL'), GRACE_MS).unref());
      }, GRACE_MS).unref(),
    );
  };
  if (options.durationMs !== undefined)
    timers.push(
      setTimeout(() => {
        stoppedBy = 'duration';
        escalate();
      }, options.durationMs),
    );
  const onSignal = (signal: NodeJS.Signals): void => {
    stoppedBy = 'interrupt';
    child.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
      stoppedBy,
      startNs,
      wallNs,
      logs: readEventLogs(dir),
    };
  } finally {
    for (const t of timers) clearTimeout(t);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(dir, { recursive: true, force: true });
  }
}
