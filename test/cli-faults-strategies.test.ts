import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { CLI, EXACT_WARMUP, onlyProfileResult, tempDir } from './support/cli.js';

/**
 * How a run survives a fault injected with WGPROF_INJECT_FAULT=KIND@N, under every strategy, through
 * the real CLI. This is the contract, not today's behaviour:
 * - throw: that op is a failed record with the fault's message, every other op is ok, exit 0;
 * - crash: the op the worker took down is a failed record saying the worker crashed, the ops before
 *   it are kept, a new worker takes over (its first op is cold) and the run goes on, exit 0;
 * - hang: that op is a timeout record after about --op-timeout, the ops before are kept, and either
 *   the run goes on with a new worker (exit 0) or it ends with exit 5 and result.json written;
 * - lose: that op or the next fails, the scenario's deviceLost names the loss, the records before
 *   are kept, exit 5, result.json written;
 * - gpu-hang: as hang, and the device is abandoned;
 * and after every run no process of wgprof is left.
 *
 * N counts the ops of one thread's life from 1. The main thread and the persistent worker count from
 * their cold op (their warm-up is not counted); a reused worker and a pool thread count their warm-up
 * ops too, since they are sent to them one by one; a fresh worker runs one op, so only @1 fires there,
 * in every op. A worker started to replace one the fault took down is told that it fired, and
 * leaves it alone (cli-faults-once.test.ts).
 *
 * `crash` on `main` throws from a macrotask of the measuring process itself: there is no worker to
 * lose and replace, so the op it took down is a failed record and the loop goes on.
 */

const WARMUP = 3;
const OPS = 40;
const OP_TIMEOUT_MS = 2000;
/** Far above what a run here takes (1-5 s): a run still going then is killed and counts as a hang. */
const RUN_LIMIT_MS = 30_000;
/** A hung op costs about --op-timeout (2 s) before it is given up; a run still going then is a hang. */
const HANG_LIMIT_MS = 12_000;

/** The record index of the Nth op of a thread's life, for the first thread of a scenario. */
function faultIndex(strategy: 'main' | 'persistent' | 'reused' | 'pool', n: number): number {
  // Record 0 is the cold op, the thread's op 1. A reused worker or pool thread ran WARMUP unrecorded ops
  // after it, which it counted; the main thread and the persistent worker did not count theirs.
  return strategy === 'main' || strategy === 'persistent' ? n - 1 : n - 1 - WARMUP;
}

/** What wgprof says of an op whose worker (or pool thread) died under it. */
const CRASHED = /\b(worker|thread) crashed\b/;

/** The injected crash's own message, carried as the cause ("worker crashes" or "its thread crashes"). */
function crashCause(n: number): RegExp {
  return new RegExp(`injected fault: .*crashes at op ${n}\\b`);
}

interface FaultRun {
  readonly status: number | null;
  /** Set when the run had to be killed at its limit: it hung. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** The --out folder (runs that save), or undefined for --json --no-save. */
  readonly out: string | undefined;
  /** wgprof processes still running a moment after the CLI ended (killed by then, so that they cannot skew the next test). */
  readonly leftovers: readonly string[];
}

interface FaultCase {
  readonly fault: string;
  /** --strategy and the options that go with it. */
  readonly strategy: readonly string[];
  readonly ops?: number;
  readonly warmup?: number;
  /** --out a temporary folder (to read result.json after exit 5) rather than --json --no-save. */
  readonly save?: boolean;
  readonly limitMs?: number;
}

const DIST = dirname(dirname(CLI));
/** The processes this checkout's CLI starts: the CLI itself and the measuring process. */
const OWN_PROCESSES = `${DIST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(cli/main|runner/child-entry)\\.js`;

function ownProcesses(): number[] {
  const found = spawnSync('pgrep', ['-f', OWN_PROCESSES], { encoding: 'utf8' });
  if (found.error) throw found.error;
  return found.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Waits up to 2 s for every wgprof process to end; kills (by pid) and returns those that did not. */
async function leftoverProcesses(): Promise<string[]> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const pids = ownProcesses();
    if (pids.length === 0) return [];
    if (Date.now() >= deadline) {
      const described = pids.map((pid) => `${pid} ${commandOf(pid)}`);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Ended meanwhile.
        }
      }
      return described;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs `wgprof profile` on the small noop op with the fault injected. Not runCli: its timeout sends
 * SIGTERM, which the CLI takes as a request to stop and write what it has, and a CLI whose measuring
 * process hangs in an op can outlive it; a synchronous spawn that never returns would hang vitest
 * itself. Here the limit kills with SIGKILL.
 */
async function profileWithFault(c: FaultCase): Promise<FaultRun> {
  const out = c.save ? tempDir('wgprof-faults-') : undefined;
  const args = [
    CLI,
    'profile',
    '--kernel',
    'noop',
    '--size',
    '1K',
    '--warmup',
    String(c.warmup ?? WARMUP),
    ...EXACT_WARMUP,
    '--ops',
    String(c.ops ?? OPS),
    '--op-timeout',
    `${OP_TIMEOUT_MS / 1000}s`,
    // One measuring process per scenario: each process counts its own ops, so with replicates
    // the fault would strike once in each, and the cases below count one fault.
    '--replicates',
    '1',
    '--strategy',
    ...c.strategy,
    ...(out ? ['--out', out] : ['--json', '--no-save']),
  ];
  const started = Date.now();
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, WGPROF_INJECT_FAULT: c.fault },
    timeout: c.limitMs ?? RUN_LIMIT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Date.now() - started;
  return {
    status: run.status,
    signal: run.signal,
    stdout: run.stdout,
    stderr: run.stderr,
    ms,
    out,
    leftovers: await leftoverProcesses(),
  };
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? '(nothing)';
}

/** How the run ended, for assertion messages. */
function ending(run: FaultRun): string {
  return `${run.signal ? `killed after ${run.ms} ms` : `exit ${run.status} after ${run.ms} ms`}; stderr: ${firstLine(run.stderr)}`;
}

/** Nothing may hang: the CLI ended by itself, within its limit. */
function expectFinished(run: FaultRun): void {
  expect(run.signal, `the CLI did not end by itself (${ending(run)})`).toBeNull();
}

/** The result a --json run printed. */
function printedResult(run: FaultRun): ProfileResult {
  try {
    return JSON.parse(run.stdout) as ProfileResult;
  } catch {
    throw new Error(`no JSON result on stdout (${ending(run)})`);
  }
}

/** The result.json a saving run wrote. */
async function savedResult(run: FaultRun): Promise<ProfileResult> {
  if (!run.out) throw new Error('this run did not save');
  try {
    return await onlyProfileResult(run.out);
  } catch (error) {
    throw new Error(
      `no result.json (${ending(run)}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function scenario(result: ProfileResult, label: string): StrategyResult {
  const found = result.runs.find((r) => r.label === label);
  if (!found)
    throw new Error(`no scenario ${label} in the result: ${result.runs.map((r) => r.label).join(', ')}`);
  return found;
}

function recordCount(r: StrategyResult): number {
  return r.records.startNs.length;
}

/** Ops past the cold ones: what --ops counts. */
function steadyCount(r: StrategyResult): number {
  return r.opsOk + r.opsFailed + r.opsTimedOut;
}

/** Where a record ends on the run's clock, ns. */
function endNs(r: StrategyResult, i: number): number {
  return (r.records.startNs[i] ?? NaN) + (r.records.totalNs[i] ?? 0);
}

/** How long the run waited on record i: from the end of the record before (or the record's own span). */
function waitedNs(r: StrategyResult, i: number): number {
  return i === 0 ? (r.records.totalNs[0] ?? NaN) : endNs(r, i) - endNs(r, i - 1);
}

/** The op gave up after about --op-timeout: the watchdog catches a late op within 1.25 timeouts. */
function expectAboutOpTimeout(r: StrategyResult, i: number): void {
  const waited = waitedNs(r, i);
  expect(waited, `record ${i} of ${r.label} waited ${waited / 1e6} ms`).toBeGreaterThanOrEqual(
    0.95 * OP_TIMEOUT_MS * 1e6,
  );
  expect(waited, `record ${i} of ${r.label} waited ${waited / 1e6} ms`).toBeLessThan(
    2.5 * OP_TIMEOUT_MS * 1e6,
  );
}

/** throw@N: that op alone is a failed record with the fault's message, and the run went to its end. */
function expectOneThrow(r: StrategyResult, index: number, n: number): void {
  expect(r.records.failures).toEqual([
    { index, status: 'failed', message: `injected fault: op ${n} throws` },
  ]);
  expect(steadyCount(r)).toBe(OPS);
  expect(r.opsOk).toBe(OPS - 1);
  expect(r.opsFailed).toBe(1);
  expect(r.deviceLost).toBeUndefined();
}

/**
 * crash@N: the op the worker took down is failed and says so; the ops before it are kept; a new
 * worker's cold op follows the crash (a replacement leaves the fault that fired alone); the run goes
 * to its end.
 */
function expectCrashesSurvived(r: StrategyResult, first: number, n: number): void {
  const failures = r.records.failures;
  expect(failures, `${r.label}: one crash`).toHaveLength(1);
  expect(failures[0]?.index, `${r.label}: the first failed record`).toBe(first);
  for (const f of failures) {
    expect(f.status, `${r.label}: record ${f.index}`).toBe('failed');
    expect(f.message, `${r.label}: record ${f.index}`).toMatch(CRASHED);
    expect(f.message, `${r.label}: record ${f.index}`).toMatch(crashCause(n));
    if (f.index + 1 < recordCount(r))
      expect(r.records.cold, `${r.label}: a new worker's cold op after record ${f.index}`).toContain(
        f.index + 1,
      );
  }
  // Every op before the crash was kept, and the run went on to --ops.
  expect(r.opsOk).toBeGreaterThanOrEqual(first - 1);
  expect(steadyCount(r)).toBe(OPS);
  expect(r.opsTimedOut).toBe(0);
  expect(r.opsOk).toBe(OPS - failures.length);
  expect(r.deviceLost).toBeUndefined();
}

/**
 * hang@N and gpu-hang@N: that op alone is a timeout record after about --op-timeout, the ops before are
 * kept, and either the run went on with a new worker (exit 0) or it ended with exit 5; result.json is
 * written either way. N is chosen so that a replacement worker never reaches its own Nth op.
 */
function expectHangSurvived(run: FaultRun, r: StrategyResult, index: number, gpu: boolean): void {
  expect(r.records.failures).toEqual([
    { index, status: 'timeout', message: expect.stringMatching(/within 2000 ms/) as unknown },
  ]);
  expectAboutOpTimeout(r, index);
  expect(r.opsOk).toBeGreaterThanOrEqual(index - 1);
  if (run.status === 0) {
    expect(steadyCount(r), 'the run went on to --ops').toBe(OPS);
    expect(r.opsOk).toBe(OPS - 1);
    expect(r.records.cold, 'a new worker (or device) took over after the hung op').toContain(index + 1);
  } else if (gpu) {
    expect(r.deviceLost).toEqual(expect.stringMatching(/abandoned/));
  }
}

/** lose@N: that op or the next fails, the loss is named, the records before are kept (exit 5 checked apart). */
function expectLossNamed(r: StrategyResult, at: number): void {
  expect(r.deviceLost, `${r.label}: deviceLost`).toEqual(expect.stringMatching(/destroyed/));
  const [first] = r.records.failures;
  expect([at, at + 1], `${r.label}: the first failed record (${first?.index})`).toContain(first?.index);
  expect(['failed', 'lost']).toContain(first?.status);
  expect(first?.message).toEqual(expect.stringMatching(/lost|destroyed/));
  expect(r.opsOk).toBeGreaterThanOrEqual(at - 1);
}

async function expectLoseCase(c: FaultCase, label: string, at: number): Promise<void> {
  const run = await profileWithFault({ ...c, save: true });
  expectFinished(run);
  expect(run.status, ending(run)).toBe(5);
  expectLossNamed(scenario(await savedResult(run), label), at);
  expect(run.leftovers).toEqual([]);
}

async function expectHangCase(c: FaultCase, label: string, index: number, gpu: boolean): Promise<void> {
  const run = await profileWithFault({ ...c, save: true, limitMs: HANG_LIMIT_MS });
  expectFinished(run);
  expect([0, 5], ending(run)).toContain(run.status);
  expectHangSurvived(run, scenario(await savedResult(run), label), index, gpu);
  // Node's fatal-error dump from an abandoned worker's teardown stays in result.json, off the terminal.
  expect(run.stderr).not.toMatch(/FATAL ERROR|Native stack trace/);
  expect(run.leftovers).toEqual([]);
}

async function expectCrashCase(c: FaultCase, label: string, first: number, n: number): Promise<void> {
  const run = await profileWithFault(c);
  expectFinished(run);
  expect(run.status, ending(run)).toBe(0);
  expectCrashesSurvived(scenario(printedResult(run), label), first, n);
  expect(run.leftovers).toEqual([]);
}

describe('throw@8 under main, reused (both handoffs), pool/1, pool/2 and persistent, in one run', () => {
  let run: FaultRun;
  let result: ProfileResult;
  beforeAll(async () => {
    run = await profileWithFault({
      fault: 'throw@8',
      strategy: ['main,reused,pool,persistent', '--handoff', 'message,atomics', '--pool-size', '1,2'],
    });
    result = printedResult(run);
  });

  it('runs every scenario to its ops, exits 0 and leaves no process running', () => {
    expectFinished(run);
    expect(run.status, ending(run)).toBe(0);
    expect(result.runs.map((r) => r.label)).toEqual([
      'main',
      'reused/message',
      'reused/atomics',
      'pool/1',
      'pool/2',
      'persistent',
    ]);
    expect(result.rounds.stoppedBy).toBe('ops');
    expect(run.leftovers).toEqual([]);
  });

  it.each([
    ['main', faultIndex('main', 8)],
    ['reused/message', faultIndex('reused', 8)],
    ['reused/atomics', faultIndex('reused', 8)],
    ['pool/1', faultIndex('pool', 8)],
    ['persistent', faultIndex('persistent', 8)],
  ])(
    '%s: the thread’s 8th op (record %i) is the one failed record, with the fault’s message',
    (label, index) => {
      expectOneThrow(scenario(result, label), index, 8);
    },
  );

  it('pool/2: each thread fails its own 8th op, and only that one', () => {
    const pool = scenario(result, 'pool/2');
    expect(pool.records.failures).toHaveLength(2);
    for (const f of pool.records.failures) {
      expect(f).toEqual({ index: f.index, status: 'failed', message: 'injected fault: op 8 throws' });
    }
    expect(pool.records.cold).toEqual([0, 1]);
    expect(steadyCount(pool)).toBe(OPS);
    expect(pool.opsOk).toBe(OPS - 2);
  });
});

describe('main', () => {
  it('crash@8: the exception thrown from the op’s callback fails that op only, the run goes on (exit 0)', async () => {
    const run = await profileWithFault({ fault: 'crash@8', strategy: ['main'] });
    expectFinished(run);
    expect(run.status, ending(run)).toBe(0);
    const main = scenario(printedResult(run), 'main');
    expect(main.records.failures).toEqual([
      {
        index: faultIndex('main', 8),
        status: 'failed',
        message: 'injected fault: its thread crashes at op 8',
      },
    ]);
    expect(main.opsOk).toBe(OPS - 1);
    expect(run.leftovers).toEqual([]);
  });

  it('hang@30: that op times out after about --op-timeout, the ops before are kept, nothing hangs', async () => {
    await expectHangCase({ fault: 'hang@30', strategy: ['main'] }, 'main', faultIndex('main', 30), false);
  });

  it('lose@8: the loss is named, that op or the next fails, the records before are written (exit 5)', async () => {
    await expectLoseCase({ fault: 'lose@8', strategy: ['main'] }, 'main', faultIndex('main', 8));
  });
});

describe('fresh: every op is a new worker’s op 1, so @1 hits every op', () => {
  const FRESH_OPS = 10;

  it('throw@1: every op is a failed record with the fault’s message, the run goes to its end, exit 5 (every op failed)', async () => {
    const run = await profileWithFault({ fault: 'throw@1', strategy: ['fresh'], ops: FRESH_OPS });
    expectFinished(run);
    expect(run.status, ending(run)).toBe(5);
    expect(run.stderr).toMatch(/^wgprof: error: every op failed: injected fault: op 1 throws$/m);
    const fresh = scenario(printedResult(run), 'fresh');
    expect(fresh.records.failures).toEqual(
      Array.from({ length: FRESH_OPS }, (_, index) => ({
        index,
        status: 'failed',
        message: 'injected fault: op 1 throws',
      })),
    );
    expect(fresh.opsFailed).toBe(FRESH_OPS);
    expect(run.leftovers).toEqual([]);
  });

  it('crash@1: every op is a failed record saying its worker crashed, each op on a new worker, exit 5 (every op failed)', async () => {
    const run = await profileWithFault({ fault: 'crash@1', strategy: ['fresh'], ops: FRESH_OPS });
    expectFinished(run);
    expect(run.status, ending(run)).toBe(5);
    const fresh = scenario(printedResult(run), 'fresh');
    expect(recordCount(fresh)).toBe(FRESH_OPS);
    expect(fresh.records.failures).toHaveLength(FRESH_OPS);
    for (const f of fresh.records.failures) {
      expect(f.status).toBe('failed');
      expect(f.message).toMatch(CRASHED);
      expect(f.message).toMatch(crashCause(1));
    }
    expect(run.leftovers).toEqual([]);
  });

  it('hang@1: each op it ran is a timeout record after about --op-timeout, nothing hangs, result.json written (exit 5)', async () => {
    const run = await profileWithFault({
      fault: 'hang@1',
      strategy: ['fresh'],
      ops: 2,
      warmup: 0,
      save: true,
      limitMs: HANG_LIMIT_MS,
    });
    expectFinished(run);
    expect(run.status, ending(run)).toBe(5);
    const fresh = scenario(await savedResult(run), 'fresh');
    expect(recordCount(fresh)).toBeGreaterThanOrEqual(1);
    expect(fresh.records.failures).toHaveLength(recordCount(fresh));
    for (const f of fresh.records.failures) {
      expect(f).toEqual({
        index: f.index,
        status: 'timeout',
        message: expect.stringMatching(/2000 ms/) as unknown,
      });
      expectAboutOpTimeout(fresh, f.index);
    }
    expect(run.leftovers).toEqual([]);
  });

  it('lose@1: the loss is named, the op fails, result.json written (exit 5)', async () => {
    await expectLoseCase({ fault: 'lose@1', strategy: ['fresh'], ops: FRESH_OPS }, 'fresh', 0);
  });
});

describe('reused', () => {
  describe('crash@30, both handoffs in one run', () => {
    let run: FaultRun;
    beforeAll(async () => {
      run = await profileWithFault({
        fault: 'crash@30',
        strategy: ['reused', '--handoff', 'message,atomics'],
      });
    });

    it('exits 0 and leaves no process running', () => {
      expectFinished(run);
      expect(run.status, ending(run)).toBe(0);
      expect(run.leftovers).toEqual([]);
    });

    it.each(['reused/message', 'reused/atomics'])(
      '%s: the op the worker took down is failed, a new worker takes over, the run goes on',
      (label) => {
        const r = scenario(printedResult(run), label);
        expectCrashesSurvived(r, faultIndex('reused', 30), 30);
        expect(r.records.failures).toHaveLength(1);
      },
    );
  });

  describe('hang@30, both handoffs in one run', () => {
    let run: FaultRun;
    beforeAll(async () => {
      run = await profileWithFault({
        fault: 'hang@30',
        strategy: ['reused', '--handoff', 'message,atomics'],
        save: true,
        limitMs: HANG_LIMIT_MS,
      });
    });

    it('nothing hangs: the run ends by itself (exit 0 or 5), result.json written, no process left', async () => {
      expectFinished(run);
      expect([0, 5], ending(run)).toContain(run.status);
      await savedResult(run);
      expect(run.leftovers).toEqual([]);
    });

    it.each(['reused/message', 'reused/atomics'])(
      '%s: that op is a timeout record after about --op-timeout, the ops before are kept',
      async (label) => {
        expectHangSurvived(run, scenario(await savedResult(run), label), faultIndex('reused', 30), false);
      },
    );
  });

  it('lose@8: the loss is named, that op or the next fails, the records before are written (exit 5)', async () => {
    await expectLoseCase({ fault: 'lose@8', strategy: ['reused'] }, 'reused', faultIndex('reused', 8));
  });

  it('gpu-hang@30: that op times out, its device is abandoned, the ops before are kept, nothing hangs', async () => {
    await expectHangCase(
      { fault: 'gpu-hang@30', strategy: ['reused'] },
      'reused',
      faultIndex('reused', 30),
      true,
    );
  });
});

describe('pool/1', () => {
  const POOL = ['pool', '--pool-size', '1'];

  it('crash@8: the op the thread took down is failed, a new thread takes over, the run goes on (exit 0)', async () => {
    await expectCrashCase({ fault: 'crash@8', strategy: POOL }, 'pool/1', faultIndex('pool', 8), 8);
  });

  it('hang@30: that op times out after about --op-timeout, the ops before are kept, nothing hangs', async () => {
    await expectHangCase({ fault: 'hang@30', strategy: POOL }, 'pool/1', faultIndex('pool', 30), false);
  });

  it('lose@8: the loss is named, that op or the next fails, the records before are written (exit 5)', async () => {
    await expectLoseCase({ fault: 'lose@8', strategy: POOL }, 'pool/1', faultIndex('pool', 8));
  });

  it('hang@8: the thread answers late, takes the next op, and the ops after it keep their GPU times', async () => {
    const run = await profileWithFault({ fault: 'hang@8', strategy: POOL, limitMs: HANG_LIMIT_MS });
    expectFinished(run);
    expect(run.status, ending(run)).toBe(0);
    const pool = scenario(printedResult(run), 'pool/1');
    expect(pool.stuckThreads).toBeUndefined();
    expect(pool.opsOk).toBe(OPS - 1);
    // Each op's GPU time is read back between chunks: a timeout once stopped that for the rest of the run.
    const index = faultIndex('pool', 8);
    // One op in 2 is timed (--gpu-time sample): most of those after it have their GPU time.
    const gpu = pool.records.phases.kernelGpu ?? [];
    const after = gpu.slice(index + 2).filter((ns) => ns !== null);
    expect(after.length, 'ops after the timed-out one with a GPU time').toBeGreaterThan(OPS / 4);
    expect(run.leftovers).toEqual([]);
  });
});

/**
 * block@N blocks a pool thread for good, as a GPU call that never returns would: unlike hang and
 * gpu-hang, which the thread's own watchdog answers, nothing of that thread answers again. Its lane
 * sends it no more ops (before, each later op waited out --op-timeout behind it); with no thread
 * left, the scenario ends as a hung op on the main thread ends it.
 */
describe('a pool thread that never answers again (block@8)', () => {
  /** The one error line of a run whose pool has no thread left. */
  function stuckLine(run: FaultRun, label: string): RegExp {
    return new RegExp(
      `^wgprof: error: the GPU stopped answering during ${label.replace('/', '\\/')}: no pool thread is left to run ops: ` +
        'threads? [\\d, ]+ did not answer an op within --op-timeout \\(2000 ms\\) nor in the [\\d.]+ s after, ' +
        `so (it was|they were) sent no more ops; the ops measured before it are in ${run.out ?? ''}.*result\\.json$`,
      'm',
    );
  }

  it.each([
    [1, 'pool/1'],
    [2, 'pool/2'],
  ])(
    'pool/%i: each stuck thread is sent no more ops, named in the output and result.json (exit 5)',
    async (size, label) => {
      const run = await profileWithFault({
        fault: 'block@8',
        strategy: ['pool', '--pool-size', String(size)],
        save: true,
        limitMs: HANG_LIMIT_MS,
      });
      expectFinished(run);
      expect(run.status, ending(run)).toBe(5);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(stuckLine(run, label));
      const result = await savedResult(run);
      expect(result.rounds.stoppedBy).toBe('device-lost');
      const pool = scenario(result, label);
      expect(pool.deviceLost).toMatch(/^stuck: no pool thread is left/);
      // Every thread blocked at its own 8th op, each a timeout record naming it; the ops before are kept.
      const stuck = pool.stuckThreads ?? [];
      expect(stuck).toHaveLength(size);
      expect(new Set(stuck.map((t) => t.threadId)).size).toBe(size);
      expect(pool.records.failures).toEqual(
        stuck.map((t) => ({
          index: t.index,
          status: 'timeout',
          message: `no answer from pool thread ${t.threadId} within 2000 ms (--op-timeout)`,
        })),
      );
      expect(pool.opsOk).toBeGreaterThanOrEqual(size * (8 - 1 - WARMUP) - size);
      const warned = (result.warnings ?? []).filter((w) => w.code === 'stuck-thread');
      expect(warned).toHaveLength(1);
      for (const t of stuck) expect(warned[0]?.message).toContain(`pool thread ${t.threadId}`);
      // One timeout and the grace after it, not a timeout per op left.
      expect(run.ms).toBeLessThan(HANG_LIMIT_MS);
      expect(run.leftovers).toEqual([]);
    },
  );
});

describe('persistent', () => {
  it('crash@8: the op the worker took down is failed, the ops before are kept, a new worker goes on (exit 0)', async () => {
    await expectCrashCase(
      { fault: 'crash@8', strategy: ['persistent'] },
      'persistent',
      faultIndex('persistent', 8),
      8,
    );
  });

  it('hang@30: that op times out after about --op-timeout, the ops before are kept, nothing hangs', async () => {
    await expectHangCase(
      { fault: 'hang@30', strategy: ['persistent'] },
      'persistent',
      faultIndex('persistent', 30),
      false,
    );
  });

  it('lose@8: the loss is named, that op or the next fails, the records before are written (exit 5)', async () => {
    await expectLoseCase(
      { fault: 'lose@8', strategy: ['persistent'] },
      'persistent',
      faultIndex('persistent', 8),
    );
  });

  it('gpu-hang@30: that op times out, the device is abandoned, the ops before are kept, nothing hangs', async () => {
    await expectHangCase(
      { fault: 'gpu-hang@30', strategy: ['persistent'] },
      'persistent',
      faultIndex('persistent', 30),
      true,
    );
  });
});
