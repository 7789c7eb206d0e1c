import { constants } from 'node:buffer';
import { closeSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTrace } from '../src/reports/trace.js';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { onlyProfileResult, resultFiles, runCli, tempDir } from './support/cli.js';

/**
 * Results too large for one JavaScript string (issue 13, item 12): V8's strings stop at
 * constants.MAX_STRING_LENGTH (2^29 - 24) characters, and a trace is about six times its
 * result's size. A report of such a result is written as it is made; a result file past what can
 * be parsed is refused in one line that gives its size and the limit.
 */

const MAX = constants.MAX_STRING_LENGTH;

/** The folders this file makes: a large result and its trace are most of a gigabyte, removed after. */
const made: string[] = [];
function scratch(): string {
  const dir = tempDir('wgprof-large-');
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const LIMIT = `512 MiB (${MAX.toLocaleString('en-US')} bytes)`;

/** `run`'s records repeated until it has `ops` of them, each copy later on the clock than the last. */
function multiplied(run: StrategyResult, ops: number): StrategyResult {
  const r = run.records;
  const n = r.startNs.length;
  const last = n - 1;
  const span = (r.startNs[last] ?? 0) + (r.totalNs[last] ?? 0) - (r.startNs[0] ?? 0) + 1000;
  const repeat = <T>(column: readonly T[], shift?: (v: T, copy: number) => T): T[] =>
    Array.from({ length: ops }, (_, i) => {
      const v = column[i % n] as T;
      return shift ? shift(v, Math.floor(i / n)) : v;
    });
  const later = (v: number | null, copy: number): number | null => (v === null ? null : v + copy * span);
  const phases: StrategyResult['records']['phases'] = {};
  for (const [phase, column] of Object.entries(r.phases))
    phases[phase as keyof typeof phases] = repeat(column);
  return {
    ...run,
    records: {
      ...r,
      startNs: repeat(r.startNs, (v, copy) => v + copy * span),
      totalNs: repeat(r.totalNs),
      innerStartNs: repeat(r.innerStartNs ?? [], later),
      threadIds: repeat(r.threadIds ?? []),
      replicate: repeat(r.replicate ?? []),
      phases,
    },
  };
}

describe('a result whose trace is longer than a JavaScript string', () => {
  let small: ProfileResult;
  let smallFile: string;
  let big: string;
  beforeAll(async () => {
    const out = scratch();
    const run = runCli([
      'profile',
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--strategy',
      'main,pool',
      '--replicates',
      '1',
      '--ops',
      '100',
      '--warmup',
      '2',
      '--out',
      out,
    ]);
    expect(run.status, run.stderr).toBe(0);
    small = await onlyProfileResult(out);
    smallFile = resultFiles(out)[0] ?? '';
    // 720,000 ops per scenario: a result of about 100 MB, a trace of about 600 MB (past MAX).
    const large: ProfileResult = { ...small, runs: small.runs.map((r) => multiplied(r, 720_000)) };
    big = join(scratch(), 'result.json');
    writeFileSync(big, JSON.stringify(large));
  }, 60_000);

  it('becomes a trace all the same, written as it is made (exit 0)', () => {
    const trace = join(scratch(), 'trace.json');
    const run = runCli(['report', big, '--format', 'trace', '--out', trace], { timeoutMs: 90_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const bytes = statSync(trace).size;
    expect(bytes, 'longer than one string can be').toBeGreaterThan(MAX);
    // Its first and last MiB: the document's head and tail, and whole events, one to a line.
    const fd = openSync(trace, 'r');
    const head = Buffer.alloc(1 << 20);
    const tail = Buffer.alloc(1 << 20);
    readSync(fd, head, 0, head.length, 0);
    readSync(fd, tail, 0, tail.length, bytes - tail.length);
    closeSync(fd);
    const headLines = head.toString('utf8').split('\n').slice(0, -1);
    const tailLines = tail.toString('utf8').split('\n').slice(1, -1);
    expect(headLines[0]).toBe('{"traceEvents":[');
    expect(tailLines.at(-1)).toMatch(/^\],"displayTimeUnit":"ns","otherData":\{.*"tool":"wgprof".*\}\}$/);
    for (const line of [...headLines.slice(1), ...tailLines.slice(0, -1)]) {
      const event = JSON.parse(line.replace(/,$/, '')) as { ph: string; pid: number };
      expect(['X', 'M']).toContain(event.ph);
    }
  }, 90_000);

  it('the trace written in pieces is the document toTrace makes', () => {
    const run = runCli(['report', smallFile, '--format', 'trace']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(toTrace(small))));
  });

  it('and its CSV, in pieces, starts with the header and has a row per op', () => {
    const run = runCli(['report', smallFile, '--format', 'csv']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^scenario,op,status,cold,gpu_timing,thread,start_ns,/);
    expect(lines).toHaveLength(1 + small.runs.reduce((n, r) => n + r.records.startNs.length, 0));
  });
});

describe('a result file larger than can be parsed', () => {
  it('600 MB: refused in one line with its size and the limit (exit 2), before it is read', () => {
    const file = join(scratch(), 'huge.json');
    // A sparse file: 600 MB long, nothing written.
    writeFileSync(file, '');
    truncateSync(file, 600_000_000);
    const run = runCli(['report', file, '--format', 'trace']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `wgprof: error: ${file} is 572 MiB (600,000,000 bytes), past the ${LIMIT} a result file can be: ` +
        'the longest text JavaScript can parse\n',
    );
  });

  it('/dev/zero, which never ends: refused the same way once it passes the limit', () => {
    const run = runCli(['report', '/dev/zero']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `wgprof: error: /dev/zero is longer than the ${LIMIT} a result file can be: the longest text JavaScript can parse\n`,
    );
  });

  it('compare refuses it too, naming the file', () => {
    const file = join(scratch(), 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, 600_000_000);
    const run = runCli(['compare', file, file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^wgprof: error: \S*huge\.json is 572 MiB \(600,000,000 bytes\), past the 512 MiB/,
    );
  });
});
