import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERY_SET_BUDGET } from '../src/device/timestamp-slots.js';
import { readResultFile } from '../src/results/read-result.js';
import type { TraceResult } from '../src/results/result-types.js';
import type { TraceEvent } from '../src/trace/trace-events.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * `wgprof trace --gpu-time`, through the real CLI on the real device: which passes the trace
 * times (none, every, each device's first encoder then one in N), what it says timing cost, and
 * how it survives timestamps that lie (WGPROF_INJECT_FAULT=timestamps-*, in the traced program
 * through the preload). Shapes and counts only: no assertion on a speed.
 */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'trace');
const TWO_THREADS = join(FIXTURES, 'two-threads.mjs');
const PASSES = join(FIXTURES, 'passes.mjs');

interface Traced {
  readonly result: TraceResult;
  readonly stderr: string;
  readonly dir: string;
}

async function trace(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Traced> {
  const out = tempDir();
  const run = runCli(['trace', '--details', '--out', out, ...args], {
    env: { XDG_RUNTIME_DIR: tempDir(), ...env },
  });
  if (run.status !== 0) throw new Error(`trace exited ${run.status}: ${run.stderr}`);
  const dir = join(out, readdirSync(out)[0] ?? '');
  const result = await readResultFile(join(dir, 'result.json'));
  if (result.kind !== 'trace') throw new Error(`expected a trace result, got ${result.kind}`);
  return { result, stderr: run.stderr, dir };
}

type PassEvent = Extract<TraceEvent, { e: 'pass' }>;
const passEvents = (result: TraceResult): PassEvent[] =>
  result.threads.flatMap((t) => t.events.flatMap((e) => (e.e === 'pass' ? [e] : [])));

/** The Perfetto timeline's GPU tracks and slices, as `wgprof report --format trace` writes them. */
function gpuSlices(dir: string): { tracks: number; slices: number } {
  const timeline = JSON.parse(runCli(['report', join(dir, 'result.json'), '--format', 'trace']).stdout) as {
    traceEvents: { ph: string; cat?: string; name: string; args?: { name?: string } }[];
  };
  return {
    tracks: timeline.traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name?.startsWith('GPU: '))
      .length,
    slices: timeline.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'gpu').length,
  };
}

describe('wgprof trace --gpu-time', () => {
  it('none: no pass timed, no query set made, no GPU figure, and says so', async () => {
    const { result, stderr, dir } = await trace(['--gpu-time', 'none', '--', 'node', TWO_THREADS, '3']);
    const timing = result.summary.timing;
    expect(timing?.gpuTime).toBe('none');
    expect(timing?.querySets).toBe(0);
    expect(timing?.passes).toMatchObject({ passes: 14, byChoice: 14, ok: 0, failed: 0 });
    expect(timing?.cost).toBeUndefined();
    for (const t of result.threads) expect(t.events.some((e) => e.e === 'querySet')).toBe(false);
    for (const p of passEvents(result))
      expect(p).toMatchObject({ gpuBegin: null, code: 0, untimed: 'by-choice' });
    expect(result.summary.all).toMatchObject({ passes: 14, timedPasses: 0, gpuBusyNs: 0 });
    expect(stderr).toMatch(/GPU timestamps not used \(--gpu-time none\)/);
    expect(stderr).toMatch(/^GPU time: not measured \(--gpu-time none\): no compute pass was timed/m);
    expect(gpuSlices(dir)).toEqual({ tracks: 0, slices: 0 });
  });

  it('every: every pass timed and read, the cost not measurable, and the figures said to include it', async () => {
    const { result, stderr } = await trace(['--gpu-time', 'every', '--', 'node', TWO_THREADS, '3']);
    const timing = result.summary.timing;
    expect(timing?.gpuTime).toBe('every');
    // One query set per device: the main thread's and the worker's.
    expect(timing?.querySets).toBe(2);
    expect(timing?.passes).toMatchObject({ passes: 14, ok: 14, byChoice: 0, failed: 0, unread: 0 });
    expect(timing?.timestamps).toMatchObject({ timed: 14, ok: 14, trusted: true });
    expect(result.summary.all.timedPasses).toBe(14);
    for (const p of passEvents(result)) expect(p.code).toBe(1);
    expect(stderr).toMatch(/^GPU time: every compute pass timed \(--gpu-time every\): what timing cost/m);
    expect(result.notes.join('\n')).toMatch(/every compute pass was timed \(--gpu-time every\)/);
  });

  it('sample (the default): each device’s first encoder timed, then one in 2, and what timing cost per pass', async () => {
    const { result, stderr } = await trace(['--', 'node', TWO_THREADS, '12']);
    const timing = result.summary.timing;
    expect(timing?.gpuTime).toBe('sample');
    // Main: 12 submits, the worker 13, two passes each; encoders 0, 2, 4, ... of each thread timed.
    expect(timing?.passes).toMatchObject({ passes: 50, ok: 2 * (6 + 7), byChoice: 2 * (6 + 6), failed: 0 });
    for (const t of result.threads) {
      const passes = t.events.flatMap((e) => (e.e === 'pass' ? [e] : []));
      const firstSeq = Math.min(...passes.map((p) => p.seq));
      // A whole encoder is timed or not, the first one timed.
      for (const p of passes) {
        const timed = (p.seq - firstSeq) % 2 === 0;
        expect(p.code, `seq ${p.seq}`).toBe(timed ? 1 : 0);
        if (timed) expect((p.gpuEnd ?? 0) - (p.gpuBegin ?? 0)).toBeGreaterThan(0);
        else expect(p).toMatchObject({ gpuBegin: null, untimed: 'by-choice' });
      }
    }
    // Each thread's first submit (timed, cold) is left out: main 5 timed and 6 untimed, the worker 6 and 6.
    for (const measure of [timing?.cost?.calls, timing?.cost?.wait]) {
      expect(measure).toMatchObject({ timed: 11, untimed: 12 });
      const c = measure?.costNs;
      expect(c?.level).toBe(0.95);
      expect(c?.low).toBeLessThanOrEqual(c?.estimate ?? Number.NaN);
      expect(c?.estimate).toBeLessThanOrEqual(c?.high ?? Number.NaN);
      expect(measure?.untimedNs).toBeGreaterThan(0);
    }
    const line =
      /^GPU time: each device's first command encoder timed, then 1 in 2 \(--gpu-time sample\): 26 of 50 compute passes chosen for timing, 24 untimed by choice;.*$/m.exec(
        stderr,
      )?.[0];
    expect(line).toMatch(
      /What timing cost the program per timed pass \(median after timed work minus after untimed, 95% CI\): encoding and submit calls [+-][\d.,]+ (ns|us|ms) \[-?[\d.,]+ (ns|us|ms), -?[\d.,]+ (ns|us|ms)\]( \([+-]\d+%\))?; the wait after the submit [+-][\d.,]+ (ns|us|ms) \[/,
    );
    // The waits after untimed work have no GPU split: "in K of N".
    expect(result.summary.threads[0]?.waitRows[0]).toMatchObject({ count: 12, splitCount: 6 });
    expect(result.summary.threads[1]?.waitRows[0]).toMatchObject({ count: 13, splitCount: 7 });
  });

  it('1/N: one encoder in N after the first, and a single-pass program still gets its GPU time', async () => {
    const third = await trace(['--gpu-time', '1/3', '--', 'node', PASSES, '7', '1', '1']);
    expect(third.result.summary.timing?.gpuTime).toBe('1/3');
    expect(passEvents(third.result).map((p) => p.code)).toEqual([1, 0, 0, 1, 0, 0, 1]);
    expect(third.result.summary.timing?.cost?.calls.costNs).toBeUndefined();
    expect(third.stderr).toMatch(
      /encoding and submit calls not measurable here \(2 timed submits and 4 untimed; 5 of each needed\)/,
    );
    const one = await trace(['--', 'node', PASSES, '1', '1', '1']);
    expect(one.result.summary.all).toMatchObject({ passes: 1, timedPasses: 1 });
    expect(one.result.summary.all.gpuBusyNs).toBeGreaterThan(0);
  });

  it('leaves the program’s own timestampWrites alone, and counts those passes apart', async () => {
    // The first submit's two passes bring their own writes; its encoder is not counted by the sampling.
    const { result, stderr } = await trace(['--', 'node', PASSES, '3', '2', '1', 'together', 'own']);
    expect(result.summary.timing?.passes).toMatchObject({ passes: 6, ownWrites: 2, ok: 2, byChoice: 2 });
    expect(passEvents(result).map((p) => [p.code, p.untimed ?? ''])).toEqual([
      [0, 'own-writes'],
      [0, 'own-writes'],
      [1, ''],
      [1, ''],
      [0, 'by-choice'],
      [0, 'by-choice'],
    ]);
    expect(stderr).toMatch(
      /2 of 6 compute passes have no GPU time for reasons other than --gpu-time: 2 with their own timestampWrites/,
    );
  });

  it(`holds at most ${QUERY_SET_BUDGET} query sets per thread, and a destroyed device frees its own`, async () => {
    const together = await trace(['--', 'node', PASSES, '1', '1', '10', 'together']);
    expect(together.result.summary.timing?.querySets).toBe(QUERY_SET_BUDGET);
    expect(together.result.summary.timing?.passes).toMatchObject({ passes: 10, ok: 8, overBudget: 2 });
    expect(together.result.notes.join('\n')).toMatch(
      new RegExp(`2 on devices past wgprof's budget of ${QUERY_SET_BUDGET} query sets per thread`),
    );
    const events = together.result.threads.flatMap((t) => t.events);
    expect(events.filter((e) => e.e === 'querySet' && !e.made)).toHaveLength(2);
    const oneByOne = await trace(['--', 'node', PASSES, '1', '1', '10', 'one-by-one']);
    expect(oneByOne.result.summary.timing?.querySets).toBe(10);
    expect(oneByOne.result.summary.timing?.passes).toMatchObject({ passes: 10, ok: 10, overBudget: 0 });
  });

  it('refuses a bad --gpu-time with one line and exit 2', () => {
    for (const value of ['bogus', '1/1', '1/0', 'all', '']) {
      const run = runCli(['trace', '--no-save', '--gpu-time', value, '--', 'node', PASSES]);
      expect(run.status, value).toBe(2);
      expect(run.stderr).toMatch(/^wgprof: error: --gpu-time must be [^\n]*\n$/);
    }
  });
});

const FAULTS = ['zero', 'reversed', 'constant', 'no-query-set'] as const;
const WHY: Record<(typeof FAULTS)[number], RegExp> = {
  zero: /zero/,
  reversed: /reversed/,
  constant: /same duration/,
  'no-query-set': /query set/,
};

describe('wgprof trace with timestamps that lie', () => {
  for (const fault of FAULTS)
    it(`${fault}: says once that the timestamps cannot be trusted, records why, and shows no GPU figure`, async () => {
      // 4 submits of 10 passes, encoders 0 and 2 timed: 20 readings, past the 16 the constant check needs.
      const { result, stderr, dir } = await trace(['--', 'node', PASSES, '4', '10', '1'], {
        WGPROF_INJECT_FAULT: `timestamps-${fault}`,
      });
      const t = result.summary.timing?.timestamps;
      expect(t?.trusted).toBe(false);
      expect(t?.reason).toMatch(WHY[fault]);
      expect(t?.timed).toBe(20);
      if (fault === 'zero') expect(t?.zero).toBe(20);
      if (fault === 'reversed') expect(t?.reversed).toBe(20);
      if (fault === 'constant') expect(t?.constant).toBe(true);
      if (fault === 'no-query-set') {
        expect(t?.unavailable).toBe(20);
        expect(result.summary.timing?.querySets).toBe(0);
        expect(passEvents(result).filter((p) => p.code === 6)).toHaveLength(20);
      }
      // Untimed by choice stays apart from a failed reading.
      expect(result.summary.timing?.passes).toMatchObject({ passes: 40, byChoice: 20 });
      if (fault !== 'constant') expect(result.summary.timing?.passes.failed).toBe(20);
      // No GPU figure anywhere: per pass, busy time, waits' split, timelines.
      const all = result.summary.all;
      expect(all).toMatchObject({ passes: 40, timedPasses: 0, gpuBusyNs: 0 });
      for (const row of all.passRows) expect(row).toMatchObject({ timed: 0, totalNs: 0 });
      for (const row of all.waitRows) expect(row).toMatchObject({ splitCount: 0, gpuNs: 0 });
      if (fault !== 'constant') for (const p of passEvents(result)) expect(p.gpuBegin).toBeNull();
      expect(gpuSlices(dir)).toEqual({ tracks: 0, slices: 0 });
      // Said once, in the notes, in the terminal and in report.md alike.
      expect(stderr.match(/cannot be trusted/g)).toHaveLength(1);
      expect(stderr).toMatch(/^- this device's GPU timestamps cannot be trusted: .*CPU-side figures only/m);
      expect(stderr).not.toMatch(/Of thread GPU time/);
      expect(stderr).toMatch(/^GPU busy: not reported/m);
      const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(markdown.match(/cannot be trusted/g)).toHaveLength(1);
    });
});
