import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResultFile } from '../src/results/read-result.js';
import type { TraceResult } from '../src/results/result-types.js';
import { coverProcesses, tracedEntries } from '../src/trace/cover-processes.js';
import { coverWorkers, withPreloadRequire } from '../src/trace/cover-workers.js';
import { parseEventLines } from '../src/trace/event-log.js';
import type { TraceEvent } from '../src/trace/trace-events.js';
import type { TraceReach } from '../src/trace/trace-reach.js';
import { runCli, tempDir, type CliRun } from './support/cli.js';

const SPAWNS = join(import.meta.dirname, 'fixtures', 'trace', 'spawns.mjs');

/**
 * `wgprof trace -- node spawns.mjs CASE`: the program starts one thread or process (CASE) that
 * does one labelled pass; with `mainToo`, its main thread does one too. The result as `wgprof
 * report` reads it (validated against the schema).
 */
async function traceCase(name: string, mainToo = false): Promise<{ run: CliRun; result: TraceResult }> {
  const out = tempDir();
  const run = runCli(['trace', '--out', out, '--', 'node', SPAWNS, name, ...(mainToo ? ['main-too'] : [])], {
    env: { XDG_RUNTIME_DIR: tempDir() },
  });
  expect(run.status, run.stderr).toBe(0);
  const [dir] = readdirSync(out);
  const result = await readResultFile(join(out, dir ?? '', 'result.json'));
  if (result.kind !== 'trace') throw new Error(`expected a trace result, got ${result.kind}`);
  return { run, result };
}

type ThreadHeader = Extract<TraceEvent, { e: 'thread' }>;

/** Each thread's header: the first event of its log. */
function headers(result: TraceResult): ThreadHeader[] {
  return result.threads.flatMap((t) => (t.events[0]?.e === 'thread' ? [t.events[0]] : []));
}

/** The traced program's own main thread: the one no parent of the program's started. */
function programMain(result: TraceResult): ThreadHeader {
  const main = headers(result).find((h) => h.main && h.token === undefined);
  if (!main) throw new Error('no main thread of the program in the trace');
  return main;
}

const WORKERS = [
  ['worker-path', 'a worker from a file path'],
  ['worker-url', 'a worker from a URL'],
  ['worker-eval', "a worker from code given as a string ('use strict' first)"],
  ['worker-execargv', 'a worker with an execArgv of its own'],
  ['worker-env', 'a worker with an env of its own'],
  ['worker-share-env', 'a worker with env: SHARE_ENV'],
  ['worker-in-worker', 'a worker started by a worker'],
] as const;

const PROCESSES = [
  ['fork', 'child_process.fork'],
  ['fork-own', 'fork with an execArgv and an env of its own, without NODE_OPTIONS'],
  ['spawn-node', "spawn('node', ...)"],
  ['execfile-env', "execFile('node', ...) with an env of its own, without NODE_OPTIONS"],
  ['exec-sync', 'execSync through a shell, with an env of its own'],
] as const;

/** What the thread or process that ran the job said of the program's env entry and execArgv flag. */
const OWN_OPTIONS: Readonly<Record<string, string>> = {
  'worker-execargv': 'OWN_ENTRY=-, --no-deprecation=true',
  'worker-env': 'OWN_ENTRY=kept, --no-deprecation=false',
  'fork-own': 'OWN_ENTRY=kept, --no-deprecation=true',
  'execfile-env': 'OWN_ENTRY=kept, --no-deprecation=false',
  'exec-sync': 'OWN_ENTRY=kept, --no-deprecation=false',
};

/** The one thread with GPU work (the program's main thread has none): its pass, submit and wait. */
function onlyGpuThread(result: TraceResult, label: string): TraceResult['summary']['threads'][number] {
  const [thread, ...others] = result.summary.threads;
  expect(others).toEqual([]);
  expect(thread?.passRows.map((r) => [r.label, r.count])).toEqual([[label, 1]]);
  expect(thread?.submits).toBe(1);
  expect(thread?.waitRows.map((w) => [w.kind, w.count])).toEqual([['onSubmittedWorkDone', 1]]);
  expect(result.summary.uncovered).toEqual([]);
  if (!thread) throw new Error('no thread with GPU work');
  return thread;
}

describe('wgprof trace follows every thread and process the program starts', () => {
  it.each(WORKERS)('%s: %s', async (name) => {
    const { run, result } = await traceCase(name);
    expect(run.stdout).toContain(
      `${name}: done (${OWN_OPTIONS[name] ?? 'OWN_ENTRY=-, --no-deprecation=false'})`,
    );
    const thread = onlyGpuThread(result, name);
    const main = programMain(result);
    expect(thread.pid).toBe(main.pid);
    expect(thread.threadId).toBeGreaterThan(0);
    expect(headers(result)).toHaveLength(name === 'worker-in-worker' ? 3 : 2);
  });

  it.each(PROCESSES)('%s: %s', async (name) => {
    const { run, result } = await traceCase(name);
    expect(run.stdout).toContain(
      `${name}: done (${OWN_OPTIONS[name] ?? 'OWN_ENTRY=-, --no-deprecation=false'})`,
    );
    const thread = onlyGpuThread(result, name);
    const main = programMain(result);
    expect(thread.pid).not.toBe(main.pid);
    // The child's main thread carries the token of the `child` event its parent logged.
    const child = headers(result).find((h) => h.pid === thread.pid);
    const started = result.threads
      .flatMap((t) => t.events)
      .filter((e): e is Extract<TraceEvent, { e: 'child' }> => e.e === 'child');
    expect(started.map((e) => [e.kind, e.token])).toContainEqual(['process', child?.token]);
  });
});

describe('wgprof trace says what it could not follow', () => {
  it('a child program that is not Node: a warning, and summary.uncovered', async () => {
    const { run, result } = await traceCase('not-node', true);
    expect(result.summary.threads.map((t) => t.name)).toEqual([
      `main thread (pid ${programMain(result).pid})`,
    ]);
    expect(result.summary.uncovered).toEqual([
      {
        kind: 'process',
        what: 'sh -c exit 0',
        why: expect.stringMatching(/^wgprof's preload never ran in it: it is not a Node program/) as unknown,
        count: 1,
      },
    ]);
    expect(run.stderr).toContain(
      "Warning: not traced: child process `sh -c exit 0`: wgprof's preload never ran in it",
    );
  });

  it('nothing traced did GPU work: "nothing to report" still names the process it could not follow', () => {
    const out = tempDir();
    const run = runCli(['trace', '--out', out, '--', 'node', SPAWNS, 'not-node'], {
      env: { XDG_RUNTIME_DIR: tempDir() },
    });
    expect(run.stderr).toMatch(/^wgprof: nothing to report: /m);
    expect(run.stderr).toMatch(/^wgprof: Warning: not traced: child process `sh -c exit 0`/m);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a Node too old for --import: run without the preload, its own NODE_OPTIONS kept, and said', async () => {
    const { run, result } = await traceCase('old-node', true);
    // Given the preload's --import, Node 16 would not have started at all.
    expect(run.stdout).toContain('old node: NODE_OPTIONS=[--no-deprecation]\n');
    expect(result.summary.uncovered).toEqual([
      {
        kind: 'process',
        what: expect.stringMatching(/\/node app\.js$/) as unknown,
        why: expect.stringContaining('it is Node v16.20.2, which has no --import') as unknown,
        count: 1,
      },
    ]);
    expect(run.stderr).toMatch(
      /Warning: not traced: child process `[^`]*\/node app\.js`: it is Node v16\.20\.2/,
    );
  });

  it('code given as a string under --no-experimental-require-module: its GPU work ran, untraced, and said', async () => {
    const name = 'worker-eval-no-require-esm';
    const { run, result } = await traceCase(name, true);
    expect(run.stdout).toContain(`${name}: done`);
    expect(result.summary.threads.flatMap((t) => t.passRows.map((r) => r.label))).toEqual(['main']);
    expect(result.summary.uncovered).toEqual([
      {
        kind: 'worker',
        what: expect.stringMatching(/^code: import\(/) as unknown,
        why: expect.stringContaining('under --no-experimental-require-module') as unknown,
        count: 1,
      },
    ]);
    expect(run.stderr).toContain('Warning: not traced: worker thread `code: import(');
  });
});

describe("the preload's patches", () => {
  const events: TraceEvent[] = [];
  const dir = tempDir();
  const reach: TraceReach = {
    preloadUrl: pathToFileURL(join(import.meta.dirname, '..', 'dist', 'trace', 'preload.js')).href,
    preloadPath: join(import.meta.dirname, '..', 'dist', 'trace', 'preload.js'),
    variables: { WGPROF_TRACE_DIR: dir },
    emit: (e) => events.push(e),
  };

  it("keep a 'use strict' prologue first, on the code's first line", () => {
    expect(withPreloadRequire("// a worker\n'use strict';\nrun();", '/p.js')).toBe(
      '// a worker\n\'use strict\';require("/p.js");\nrun();',
    );
    expect(withPreloadRequire('run();', '/p.js')).toBe('require("/p.js");run();');
  });

  it("add the preload's --import to the program's NODE_OPTIONS, once, keeping its entries in order", () => {
    const once = tracedEntries(
      [
        ['NODE_OPTIONS', '--no-deprecation'],
        ['A', '1'],
      ],
      reach,
      't1',
    );
    expect(once).toEqual([
      ['NODE_OPTIONS', `--no-deprecation --import=${reach.preloadUrl}`],
      ['A', '1'],
      ['WGPROF_TRACE_DIR', dir],
      ['WGPROF_TRACE_SPAWN', 't1'],
    ]);
    expect(tracedEntries(once, reach, 't2')).toEqual([...once.slice(0, 3), ['WGPROF_TRACE_SPAWN', 't2']]);
  });

  it('patch once per thread, add only the trace to what a child gets, and are undone by their undo', async () => {
    const require = createRequire(import.meta.url);
    const threads = require('node:worker_threads') as { Worker: unknown };
    const processes = require('node:child_process') as typeof import('node:child_process');
    const workerBefore = threads.Worker;
    // Node's own, undocumented: where every async child_process function starts its child.
    const prototype = processes.ChildProcess.prototype as unknown as { spawn: unknown };
    const spawnBefore = prototype.spawn;
    const undoWorkers = coverWorkers(reach);
    const undoProcesses = coverProcesses(reach);
    try {
      const workerPatched = threads.Worker;
      const spawnPatched = prototype.spawn;
      expect(workerPatched).not.toBe(workerBefore);
      expect(spawnPatched).not.toBe(spawnBefore);
      // A second preload in the same thread leaves the patches as they are, and its undo does nothing.
      coverWorkers(reach)();
      coverProcesses(reach)();
      expect(threads.Worker).toBe(workerPatched);
      expect(prototype.spawn).toBe(spawnPatched);
      const said = processes.execFileSync(process.execPath, ['-p', 'process.env.OWN'], {
        env: { OWN: 'kept' },
        encoding: 'utf8',
      });
      expect(said).toBe('kept\n');
      const child = processes.spawn('true');
      await new Promise((done) => child.once('exit', done));
      expect(events.map((e) => (e.e === 'child' ? [e.kind, e.what] : [e.e]))).toEqual([
        ['process', `${process.execPath} -p process.env.OWN`],
        ['process', 'true'],
      ]);
      // The Node child logged itself with its token; `true` could not.
      const logged = readdirSync(dir).flatMap((f) => parseEventLines(readFileSync(join(dir, f), 'utf8')));
      const tokens = events.map((e) => (e.e === 'child' ? e.token : undefined));
      expect(logged.flatMap((e) => (e.e === 'thread' ? [e.token] : []))).toEqual([tokens[0]]);
    } finally {
      undoProcesses();
      undoWorkers();
    }
    expect(threads.Worker).toBe(workerBefore);
    expect(prototype.spawn).toBe(spawnBefore);
  });
});
