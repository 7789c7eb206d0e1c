import { describe, expect, it } from 'vitest';
import { readingsOf } from '../src/device/timestamp-slots.js';
import { DEFAULT_GPU_TIME, parseGpuTime } from '../src/config/gpu-time.js';
import { TIMING } from '../src/device/timestamp-check.js';
import { renderTrace } from '../src/reports/trace-report.js';
import { timelineBars } from '../src/reports/trace-timeline.js';
import { timingLine, timingNotes } from '../src/reports/trace-timing.js';
import { collectEnvironment } from '../src/results/environment.js';
import { RESULT_SCHEMA, RESULT_VERSION, type TraceResult } from '../src/results/result-types.js';
import type { TraceEvent } from '../src/trace/trace-events.js';
import { gpuTimeFromEnv, isTimedEncoder } from '../src/trace/trace-sampling.js';
import { summarizeTrace, type TraceSummary } from '../src/trace/trace-summary.js';
import {
  costMeasure,
  costSamples,
  coveredSubmits,
  type SubmitTiming,
} from '../src/trace/trace-timing-cost.js';
import {
  deviceHealth,
  NO_PASSES,
  passCode,
  passReading,
  tallyPasses,
  type TraceTiming,
} from '../src/trace/trace-timing.js';

describe('trace: which encoders --gpu-time times', () => {
  it('times each device’s first encoder, then one in N; every one with every, none with none', () => {
    const first = (text: string, n = 7): boolean[] =>
      Array.from({ length: n }, (_, k) => isTimedEncoder(k, parseGpuTime(text)));
    expect(first('sample')).toEqual([true, false, true, false, true, false, true]);
    expect(first('1/3')).toEqual([true, false, false, true, false, false, true]);
    expect(first('every')).toEqual(Array(7).fill(true));
    expect(first('none')).toEqual(Array(7).fill(false));
  });

  it('reads the plan the preload is given, the default when it is absent or unreadable', () => {
    expect(gpuTimeFromEnv(undefined)).toBe(DEFAULT_GPU_TIME);
    expect(gpuTimeFromEnv(' ')).toBe(DEFAULT_GPU_TIME);
    expect(gpuTimeFromEnv('bogus')).toBe(DEFAULT_GPU_TIME);
    expect(gpuTimeFromEnv('every')).toEqual({ mode: 'every', oneIn: 1 });
    expect(gpuTimeFromEnv('1/4')).toEqual({ mode: 'sample', oneIn: 4 });
  });
});

const submit = (at: number, callsNs: number, passes: number, wrote: number, byChoice = passes - wrote) => ({
  at,
  callsNs,
  passes,
  wrote,
  byChoice,
  ok: wrote,
});

describe('trace: what timing cost, from the program’s own submits and waits', () => {
  it('gives each wait the submits since the previous one began, whatever order they come in', () => {
    const submits = [submit(20, 0, 1, 1), submit(10, 0, 1, 1), submit(45, 0, 1, 1)];
    expect(
      coveredSubmits(submits, [
        { at: 50, dur: 1 },
        { at: 30, dur: 1 },
        { at: 40, dur: 1 },
      ]),
    ).toEqual([[2], [1, 0], []]);
    expect(coveredSubmits([], [{ at: 1, dur: 1 }])).toEqual([[]]);
  });

  it('takes per-pass samples of whole timed or untimed work, the first submit (cold) and mixed work left out', () => {
    const submits: SubmitTiming[] = [
      submit(100, 50, 2, 2), // the first: timed by rule, cold
      submit(200, 40, 2, 0), // untimed: 20 per pass
      submit(300, 60, 2, 2), // timed: 30
      { ...submit(400, 10, 1, 0), byChoice: 0 }, // its own timestampWrites: neither
      submit(500, 99, 0, 0), // no pass
      { ...submit(600, 30, 3, 3), ok: 2 }, // timed (one reading failed, it still wrote): 10
      submit(800, 20, 1, 1),
      submit(810, 20, 1, 0),
    ];
    const waits = [
      { at: 150, dur: 1000 }, // the first submit's
      { at: 250, dur: 400 }, // untimed: 200 per pass
      { at: 350, dur: 900 }, // timed: 450
      { at: 450, dur: 50 }, // own writes
      { at: 550, dur: 10 }, // no pass
      { at: 700, dur: 600 }, // timed: 200
      { at: 900, dur: 70 }, // timed and untimed
    ];
    expect(costSamples(submits, waits)).toEqual({
      calls: { timed: [30, 10, 20], untimed: [20, 20] },
      wait: { timed: [450, 200], untimed: [200] },
    });
  });

  it('estimates a cost only with enough samples of each kind, on devices that have both', () => {
    expect(costMeasure([{ timed: [1, 2, 3, 4], untimed: [1, 1, 1, 1, 1] }])).toEqual({
      timed: 4,
      untimed: 5,
    });
    // Counted, but a device with one kind only compares with nothing.
    expect(
      costMeasure([
        { timed: [5, 5, 5, 5, 5], untimed: [] },
        { timed: [1], untimed: [0, 0, 0, 0, 0] },
      ]),
    ).toEqual({ timed: 6, untimed: 5 });
    const same = costMeasure([{ timed: [10, 10, 10, 10, 10], untimed: [4, 4, 4, 4, 4] }]);
    expect(same).toEqual({
      timed: 5,
      untimed: 5,
      costNs: { estimate: 6, low: 6, high: 6, level: 0.95 },
      untimedNs: 4,
    });
    const spread = costMeasure([
      { timed: [12, 14, 11, 15, 13, 16], untimed: [4, 6, 5, 7, 3] },
      { timed: [22, 21, 23, 20, 24], untimed: [10, 12, 11, 9, 13] },
    ]);
    // The pooled medians: 16 of the eleven timed values, 8 of the ten untimed.
    expect(spread.costNs?.estimate).toBe(16 - 8);
    expect(spread.costNs?.low).toBeLessThan(8);
    expect(spread.costNs?.high).toBeGreaterThan(8);
    expect(spread.untimedNs).toBe(8);
  });
});

describe('trace: passes by fate, and their readings’ health', () => {
  it('keeps untimed by choice apart from failed readings and from the device’s reasons', () => {
    const passes = [
      { code: TIMING.timed, ns: 5 },
      { code: TIMING.timed, ns: 6 },
      { code: TIMING.zero, ns: NaN },
      { code: TIMING.reversed, ns: NaN },
      { code: TIMING.outOfSpan, ns: NaN },
      { code: TIMING.noQuerySet, ns: NaN },
      { code: TIMING.unread, ns: NaN },
      { code: TIMING.untimed, untimed: 'by-choice' as const, ns: NaN },
      { code: TIMING.untimed, untimed: 'own-writes' as const, ns: NaN },
      { code: TIMING.untimed, untimed: 'no-timestamp-query' as const, ns: NaN },
      { code: TIMING.untimed, untimed: 'over-budget' as const, ns: NaN },
      { code: TIMING.untimed, untimed: 'no-slot' as const, ns: NaN },
      { code: TIMING.untimed, ns: NaN },
    ];
    expect(tallyPasses(passes)).toEqual({
      passes: 13,
      ok: 2,
      failed: 4,
      byChoice: 1,
      ownWrites: 1,
      noTimestampQuery: 1,
      overBudget: 1,
      noSlot: 2,
      unread: 1,
    });
    expect(tallyPasses([])).toEqual(NO_PASSES);
    // A reading never taken says nothing of the device's timestamps.
    expect(deviceHealth(passes, true)).toMatchObject({
      timed: 6,
      ok: 2,
      zero: 1,
      reversed: 1,
      outOfSpan: 1,
      unavailable: 1,
      constant: false,
    });
    expect(deviceHealth([{ code: TIMING.noQuerySet, ns: NaN }], true, 'no set').unavailableReason).toBe(
      'no set',
    );
  });

  it('checks each reading: zero, reversed, and longer than its submit-to-read-back span', () => {
    // Slots: 100 ns; zero; reversed; 60 us, in a span of 30 us.
    const stamps = new BigUint64Array([1000n, 1100n, 0n, 0n, 2000n, 1000n, 5000n, 65_000n]);
    const read = { stamps, readings: readingsOf(stamps), doneNs: 40_000 };
    expect(passReading(0, 10_000, read)).toEqual({ code: TIMING.timed, begin: 1000, end: 1100 });
    expect(passReading(1, 10_000, read)).toEqual({ code: TIMING.zero, begin: null, end: null });
    expect(passReading(2, 10_000, read)).toEqual({ code: TIMING.reversed, begin: null, end: null });
    // 60 us cannot fit in 30 us, even with withinSpan's slack (5% and 20 us) ...
    expect(passReading(3, 10_000, read)).toEqual({ code: TIMING.outOfSpan, begin: null, end: null });
    // ... and fits in 40 us with it (up to 62 us).
    expect(passReading(3, 0, read).code).toBe(TIMING.timed);
    expect(passReading(0, 0, undefined)).toEqual({ code: TIMING.unread, begin: null, end: null });
    expect(passReading(9, 0, read).code).toBe(TIMING.unread);
  });

  it('reads the code of an older log’s pass from its stamps', () => {
    expect(passCode(undefined, 5)).toBe(TIMING.timed);
    expect(passCode(undefined, null)).toBe(TIMING.untimed);
    expect(passCode(TIMING.outOfSpan, null)).toBe(TIMING.outOfSpan);
    expect(passCode(9, null)).toBe(TIMING.untimed);
  });
});

/** A one-thread log: four submits of one pass each, each followed by its wait; the passes as given. */
function log(passes: readonly { code: number; begin?: number; end?: number }[]): TraceEvent[] {
  const events: TraceEvent[] = [
    { e: 'thread', pid: 7, threadId: 0, main: true, script: 'app.js', at: 0 },
    { e: 'instance', flags: [], quantizationOff: true, at: 0 },
    { e: 'device', dev: 1, at: 0, dur: 1000, adapter: 'test', timestamps: true },
    { e: 'querySet', dev: 1, at: 1000, made: true },
  ];
  const waits = [900, 500, 800, 600];
  passes.forEach((p, k) => {
    const at = 1000 + 2000 * k;
    events.push(
      {
        e: 'submit',
        dev: 1,
        seq: k + 1,
        at,
        dur: 100,
        encodeNs: 50,
        encodeCallsNs: 20,
        passes: 1,
        commandBuffers: 1,
      },
      { e: 'wait', dev: 1, kind: 'onSubmittedWorkDone', at: at + 100, dur: waits[k] ?? 0 },
      {
        e: 'pass',
        dev: 1,
        seq: k + 1,
        label: 'p',
        gpuBegin: p.begin ?? null,
        gpuEnd: p.end ?? null,
        code: p.code,
        ...(p.code === 0 ? { untimed: 'by-choice' as const } : {}),
      },
    );
  });
  return events;
}

function result(summary: TraceSummary, events: TraceEvent[], notes: string[] = []): TraceResult {
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    kind: 'trace',
    createdAt: '2026-12-06T00:00:00.000Z',
    command: ['trace', '--', 'node', 'app.js'],
    environment: collectEnvironment(),
    nativeMessages: [],
    program: {
      command: ['node', 'app.js'],
      cwd: '/',
      exitCode: 0,
      signal: null,
      stoppedBy: 'exit',
      wallNs: 10_000,
      startNs: '0',
    },
    summary,
    threads: [{ file: '7-0.jsonl', events }],
    notes,
  };
}

describe('trace: a hand-written log’s GPU figures under the readings’ verdict', () => {
  it('a few failed readings: counted and said, the rest stand; waits split only after timed work', () => {
    const events = log([
      { code: 1, begin: 1200, end: 1500 },
      { code: 0 },
      { code: 2 },
      { code: 1, begin: 7200, end: 7300 },
    ]);
    const summary = summarizeTrace([{ file: '7-0.jsonl', events }]);
    const timing = summary.timing;
    expect(timing?.passes).toMatchObject({ passes: 4, ok: 2, failed: 1, byChoice: 1 });
    expect(timing?.timestamps).toMatchObject({ timed: 3, ok: 2, zero: 1, trusted: true });
    expect(timing?.querySets).toBe(1);
    expect(summary.all).toMatchObject({ timedPasses: 2, gpuBusyNs: 400 });
    expect(summary.all.passRows[0]).toMatchObject({ count: 4, timed: 2, totalNs: 400 });
    expect(summary.all.waitRows).toEqual([
      {
        kind: 'onSubmittedWorkDone',
        count: 4,
        medianNs: 700,
        p99Ns: expect.any(Number) as number,
        totalNs: 2800,
        splitCount: 2,
        splitNs: 1500,
        gpuNs: 400,
        latencyNs: 1100,
      },
    ]);
    // The first submit left out: one untimed, two timed (the zero reading's pass wrote its timestamps).
    expect(timing?.cost).toEqual({ calls: { timed: 2, untimed: 1 }, wait: { timed: 2, untimed: 1 } });
    const notes = timingNotes(summary);
    expect(notes).toEqual([
      "1 of 3 timed passes had a GPU timestamp reading that failed a check: 1 zero (no timestamp written, or a duration of 0), of 3 readings. Those passes have no GPU time; the others' readings passed.",
    ]);
    expect(timelineBars(result(summary, events)).filter((b) => b.kind === 'compute pass')).toHaveLength(2);
  });

  it('mostly failed readings: not trusted, said once, and no GPU figure anywhere', () => {
    const events = log([{ code: 1, begin: 1200, end: 1500 }, { code: 0 }, { code: 3 }, { code: 2 }]);
    const summary = summarizeTrace([{ file: '7-0.jsonl', events }], parseGpuTime('every'));
    expect(summary.timing?.timestamps).toMatchObject({ trusted: false, timed: 3, ok: 1 });
    expect(summary.timing?.cost).toBeUndefined();
    expect(summary.all).toMatchObject({ timedPasses: 0, gpuBusyNs: 0 });
    expect(summary.all.passRows[0]).toMatchObject({ timed: 0, totalNs: 0 });
    expect(summary.all.passRows[0]?.medianNs).toBeNaN();
    expect(summary.all.waitRows[0]).toMatchObject({ splitCount: 0, gpuNs: 0, latencyNs: 0 });
    const notes = timingNotes(summary);
    expect(notes.filter((n) => n.includes('cannot be trusted'))).toHaveLength(1);
    const traced = result(summary, events, notes);
    expect(timelineBars(traced).filter((b) => b.kind === 'compute pass')).toEqual([]);
    const text = renderTrace(traced);
    expect(text.match(/cannot be trusted/g)).toHaveLength(1);
    expect(text).toMatch(
      /GPU timestamps on, exact, --gpu-time every, readings failed their checks \(CPU-side figures only\)/,
    );
    expect(text).toMatch(
      /^GPU busy: not reported \(the timestamps failed their checks, see the notes\); 4 compute passes \(0 with a GPU time\) in 4 submits\.$/m,
    );
    expect(text).toMatch(/^\| Thread +\| Pass \| Count \|$/m);
    expect(text).not.toMatch(/GPU busy in it/);
  });
});

const timing = (over: Partial<TraceTiming>): TraceTiming => ({
  gpuTime: 'sample',
  querySets: 1,
  passes: { ...NO_PASSES, passes: 24, ok: 12, byChoice: 12 },
  timestamps: {
    timed: 12,
    ok: 12,
    zero: 0,
    reversed: 0,
    outOfSpan: 0,
    unavailable: 0,
    constant: false,
    trusted: true,
  },
  ...over,
});

describe('trace: the notes on timing', () => {
  const base = summarizeTrace([{ file: '7-0.jsonl', events: log([{ code: 1, begin: 1200, end: 1500 }]) }]);

  it('says what timing cost where it is beyond the noise, and nothing where it is not', () => {
    const measured = (low: number) => ({
      timed: 11,
      untimed: 12,
      costNs: { estimate: 3100, low, high: 5000, level: 0.95 },
      untimedNs: 25_000,
    });
    const costly = timingNotes({
      ...base,
      timing: timing({ cost: { calls: measured(1200), wait: measured(-200) } }),
    });
    expect(costly).toEqual([
      "the program's timed work took otherwise than its untimed work, beyond the noise: its encoding and submit calls +3.10 us [1.20 us, 5.00 us] (+12%) per timed pass (timed minus untimed). The calls' and waits' times above include that for the timed passes (--gpu-time sample); --gpu-time none leaves every pass untimed",
    ]);
    expect(
      timingNotes({ ...base, timing: timing({ cost: { calls: measured(-1), wait: measured(-1) } }) }),
    ).toEqual([]);
  });

  it('counts the passes untimed for the device’s or the program’s reasons, not those untimed by choice', () => {
    const notes = timingNotes({
      ...base,
      timing: timing({
        passes: { ...NO_PASSES, passes: 30, ok: 10, byChoice: 10, overBudget: 6, ownWrites: 3, unread: 1 },
      }),
    });
    expect(notes).toEqual([
      "10 of 30 compute passes have no GPU time for reasons other than --gpu-time: 3 with their own timestampWrites (left untouched), 6 on devices past wgprof's budget of 8 query sets per thread (its other open devices held them), 1 timed but never read back (their thread ended, or their device was lost, first)",
    ]);
  });
});

describe('trace: the report’s GPU timing line', () => {
  it('says what was timed and what it cost, or why the cost is not measurable', () => {
    expect(timingLine(undefined)).toBeUndefined();
    expect(timingLine(timing({ gpuTime: 'none', querySets: 0 }))).toMatchInlineSnapshot(
      `"GPU time: not measured (--gpu-time none): no compute pass was timed and wgprof made no query set, so the program's GPU work ran as it does untraced."`,
    );
    expect(timingLine(timing({ gpuTime: 'every' }))).toMatchInlineSnapshot(
      `"GPU time: every compute pass timed (--gpu-time every): what timing cost the program could not be measured (no untimed pass to compare with), and every figure above includes it."`,
    );
    expect(
      timingLine(
        timing({
          cost: {
            calls: {
              timed: 11,
              untimed: 12,
              costNs: { estimate: 3100, low: 1200, high: 5000, level: 0.95 },
              untimedNs: 25_000,
            },
            wait: { timed: 3, untimed: 4 },
          },
        }),
      ),
    ).toMatchInlineSnapshot(
      `"GPU time: each device's first command encoder timed, then 1 in 2 (--gpu-time sample): 12 of 24 compute passes chosen for timing, 12 untimed by choice; the figures above include the timed ones. What timing cost the program per timed pass (median after timed work minus after untimed, 95% CI): encoding and submit calls +3.10 us [1.20 us, 5.00 us] (+12%); the wait after the submit not measurable here (3 waits after timed work and 4 after untimed; 5 of each needed)."`,
    );
    expect(
      timingLine(
        timing({
          gpuTime: '1/4',
          cost: {
            calls: { timed: 1, untimed: 0 },
            wait: {
              timed: 6,
              untimed: 18,
              costNs: { estimate: -800, low: -2500, high: 900, level: 0.95 },
              untimedNs: 40_000,
            },
          },
        }),
      ),
    ).toMatchInlineSnapshot(
      `"GPU time: each device's first command encoder timed, then 1 in 4 (--gpu-time 1/4): 12 of 24 compute passes chosen for timing, 12 untimed by choice; the figures above include the timed ones. What timing cost the program per timed pass (median after timed work minus after untimed, 95% CI): encoding and submit calls not measurable here (1 timed submit and 0 untimed; 5 of each needed); the wait after the submit -800 ns [-2.50 us, 900 ns] (-2%)."`,
    );
  });
});
