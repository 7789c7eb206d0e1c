import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/reports/csv.js';
import { toMarkdown } from '../src/reports/markdown.js';
import { toTrace, type TraceEvent } from '../src/reports/trace.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { runCli } from './support/cli.js';

// One real run with every strategy, a pool of two and a fresh worker per op.
const run = runCli([
  'profile',
  '--strategy',
  'all',
  '--pool-size',
  '2',
  '--kernel',
  'noop',
  '--size',
  '1K',
  '--ops',
  '12',
  '--warmup',
  '2',
  '--json',
  '--no-save',
]);
const result = JSON.parse(run.stdout) as ProfileResult;

/** The Markdown tables of a text: each a list of rows of cells. */
function tables(text: string): string[][][] {
  const out: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(
        line
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim()),
      );
    } else if (current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

describe('the trace writer', () => {
  const trace = toTrace(result);
  const slices = trace.traceEvents.filter((e): e is Extract<TraceEvent, { ph: 'X' }> => e.ph === 'X');

  it('gives every slice a thread, a start and a duration, and every thread a name', () => {
    expect(slices.length).toBeGreaterThan(0);
    const named = new Set(
      trace.traceEvents
        .filter((e) => e.ph === 'M' && e.name === 'thread_name')
        .map((e) => `${e.pid}:${e.tid}`),
    );
    for (const s of slices) {
      expect(Number.isInteger(s.tid)).toBe(true);
      expect(s.ts).toBeGreaterThanOrEqual(0);
      expect(s.dur).toBeGreaterThanOrEqual(0);
      expect(named.has(`${s.pid}:${s.tid}`), `thread ${s.pid}:${s.tid} has a name`).toBe(true);
    }
  });

  it('never overlaps two slices on one thread', () => {
    const byThread = new Map<string, { ts: number; dur: number; name: string }[]>();
    for (const s of slices) {
      const key = `${s.pid}:${s.tid}`;
      byThread.set(key, [...(byThread.get(key) ?? []), s]);
    }
    for (const [tid, list] of byThread) {
      list.sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1];
        const next = list[i];
        if (!prev || !next) continue;
        expect(next.ts, `thread ${tid}: ${next.name} starts before ${prev.name} ends`).toBeGreaterThanOrEqual(
          prev.ts + prev.dur - 1e-6,
        );
      }
    }
  });

  it('draws one process per replicate, one track per thread in it: main, each worker, and the main thread waiting on the pool in lanes', () => {
    const names: string[] = trace.traceEvents.flatMap((e) =>
      e.ph === 'M' && e.name === 'thread_name' ? [e.args.name] : [],
    );
    expect(names).toContain('main thread');
    expect(names.filter((n) => n.startsWith('fresh worker'))).toHaveLength(12);
    // Three replicates (the default), each with its own pool of two threads.
    expect(names.filter((n) => n.startsWith('pool/2 worker'))).toHaveLength(2 * 3);
    const processes = trace.traceEvents.flatMap((e) =>
      e.ph === 'M' && e.name === 'process_name' ? [e.args.name] : [],
    );
    expect(processes).toContain('wgprof measuring process: pool/2, replicate 3');
    expect(processes).toHaveLength(result.runs.length * 3);
    expect(names.some((n) => n.startsWith('main thread: waiting on pool/2 (lane 2)'))).toBe(true);
    // Every op of every strategy has its creation slice.
    expect(slices.filter((s) => s.name === 'creation')).toHaveLength(
      result.runs.reduce((a, r) => a + r.records.startNs.length, 0),
    );
  });
});

describe('the CSV writer', () => {
  it('writes one row per op and one column per phase', () => {
    const lines = toCsv(result).trim().split('\n');
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(0, 7)).toEqual([
      'scenario',
      'op',
      'status',
      'cold',
      'gpu_timing',
      'thread',
      'start_ns',
    ]);
    expect(header).toContain('handoff_ns');
    expect(lines).toHaveLength(1 + result.runs.reduce((a, r) => a + r.records.startNs.length, 0));
    for (const line of lines.slice(1)) expect(line.split(',')).toHaveLength(header.length);
    // A phase a strategy does not have is an empty cell, not a zero.
    const mainRow = lines.find((l) => l.startsWith('main,1,'))?.split(',') ?? [];
    expect(mainRow[header.indexOf('spawn_ns')]).toBe('');
  });
});

describe('the Markdown writer', () => {
  const md = toMarkdown(result);
  it('starts with a title and what it ran on', () => {
    expect(md).toMatch(/^# wgprof profile report\n\n- op: noop f32, 1K elements/);
    expect(md).toMatch(/^- command: `wgprof profile --strategy all/m);
    expect(md).toMatch(/^Timer: process\.hrtime\.bigint, resolution \d+ ns/m);
  });

  it("has tables whose rows all have the header row's columns, one scenario per row", () => {
    const all = tables(md);
    expect(all.length).toBeGreaterThan(3);
    for (const table of all) for (const row of table) expect(row).toHaveLength(table[0]?.length ?? 0);
    const scenarios = all.find((t) => t[0]?.[0] === 'Scenario' && t[0][1] === 'ops/s');
    expect(scenarios?.slice(2).map((r) => r[0])).toEqual([
      'main',
      'fresh (all cold)',
      'reused',
      'pool/2',
      'persistent',
    ]);
  });
});
