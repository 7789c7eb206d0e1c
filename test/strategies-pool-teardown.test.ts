import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { openBenchGpu } from '../src/bench/bench-gpu.js';
import { WorkerPoolStrategy } from '../src/strategies/worker-pool.js';
import { CLI, EXACT_WARMUP, onlyProfileResult, tempDir, WIDE } from './support/cli.js';

/**
 * A pool in which an op timed out was never destroyed: its threads, and the devices they had
 * abandoned, lived until the measuring process was made to exit. After a timeout the pool is torn
 * down like any other once every thread has closed its devices; a thread that cannot be ended
 * safely (its GPU queue never finishes) is left, and the process still exits with its result sent.
 */

/** Whether a worker thread has ended: Node reads its threadId as -1 from then on. */
function ended(worker: Worker): boolean {
  return worker.threadId === -1;
}

/**
 * One pool/1 scenario in this process (start, 10 ops, close) with `fault` injected; returns its
 * records' statuses and the pool's threads, as they were before close().
 */
async function poolRun(fault: string): Promise<{ statuses: string[]; threads: readonly Worker[] }> {
  // Read by the pool's threads as they start (each worker copies the environment then).
  process.env.WGPROF_INJECT_FAULT = fault;
  const bench = await openBenchGpu({
    kernel: 'noop',
    size: '1K',
    strategy: 'pool',
    poolSize: '1',
    warmup: '0',
    warmupMin: '0',
    opTimeout: '1s',
  });
  let threads: readonly Worker[] = [];
  try {
    const strategy = new WorkerPoolStrategy(
      { strategy: 'pool', label: 'pool/1', concurrency: 1 },
      bench.context,
    );
    try {
      await strategy.start();
      await strategy.runChunk(10);
      threads = [...strategy.threads];
    } finally {
      await strategy.close();
    }
    return {
      statuses: Array.from({ length: strategy.store.count }, (_, i) => strategy.store.status(i)),
      threads,
    };
  } finally {
    bench.close();
    delete process.env.WGPROF_INJECT_FAULT;
  }
}

describe('the pool after an op timed out', () => {
  it('is torn down: its threads end', async () => {
    // The pool thread's 3rd op never settles: it times out, the thread abandons its device and
    // opens another, and the run goes on.
    const { statuses, threads } = await poolRun('hang@3');
    expect(statuses.filter((s) => s === 'timeout')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'ok').length).toBeGreaterThan(5);
    expect(threads.length).toBe(1);
    const deadline = Date.now() + 2000;
    while (!threads.every(ended) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(threads.map(ended), 'the pool threads ended by close()').toEqual([true]);
  }, 60_000);
});

interface Ended {
  readonly code: number | null;
  readonly stderr: string;
  /** Processes the CLI started (the measuring processes), seen while it ran. */
  readonly children: readonly number[];
}

/** Runs the CLI, noting the processes it starts, until it exits. */
function runWatched(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const cli = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, COLUMNS: WIDE, ...env } });
    const children = new Set<number>();
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    cli.stdout.resume();
    const file = `/proc/${cli.pid}/task/${cli.pid}/children`;
    const watch = setInterval(() => {
      try {
        for (const pid of readFileSync(file, 'utf8').split(' ').filter(Boolean)) children.add(Number(pid));
      } catch {
        // The CLI has exited.
      }
    }, 20);
    const limit = setTimeout(() => cli.kill('SIGKILL'), 60_000);
    cli.on('error', reject);
    cli.on('exit', (code) => {
      clearInterval(watch);
      clearTimeout(limit);
      resolve({ code, stderr, children: [...children] });
    });
  });
}

/** Whether `pid` is still a live process (not gone, not a zombie). */
function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('a pool run with an op that hangs past --op-timeout, through the CLI', () => {
  it.each([
    // The op never settles, its GPU queue idle: the thread can be ended.
    ['hang@8', 'its op'],
    // A kernel that never finishes: the thread holds a queue that never finishes, and is left.
    ['gpu-hang@8', 'a GPU kernel'],
  ])(
    '%s (%s never finishes): the run ends, the timeout is in result.json, no process is left',
    async (fault) => {
      const out = tempDir();
      const ended = await runWatched(
        [
          'profile',
          '--kernel',
          'noop',
          '--size',
          '1K',
          '--strategy',
          'pool',
          '--ops',
          '30',
          '--warmup',
          '3',
          ...EXACT_WARMUP,
          '--op-timeout',
          '2s',
          '--replicates',
          '1',
          '--out',
          out,
        ],
        { WGPROF_INJECT_FAULT: fault },
      );
      expect(ended.code, ended.stderr).toBe(0);
      expect(ended.stderr).not.toMatch(/FATAL ERROR|Native stack trace/);
      const result = await onlyProfileResult(out);
      const [pool] = result.runs;
      expect(pool?.opsTimedOut).toBe(1);
      expect(pool?.records.failures).toEqual([
        {
          index: 8 - 1 - 3,
          status: 'timeout',
          message: expect.stringMatching(/within 2000 ms \(--op-timeout\)/) as unknown,
        },
      ]);
      expect(ended.children.length, 'the measuring processes the CLI started').toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(ended.children.filter(alive), 'measuring processes still running').toEqual([]);
    },
    90_000,
  );
});
