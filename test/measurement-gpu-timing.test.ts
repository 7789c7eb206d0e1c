import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readingsOf } from '../src/device/timestamp-slots.js';
import { falsifyStamps, parseTimestampFault } from '../src/device/timestamp-faults.js';
import {
  formatGpuTime,
  isTimedOp,
  parseGpuTime,
  periodStart,
  settlesAfter,
  TIMED_BLOCK,
} from '../src/config/gpu-time.js';
import { checkedReading, opReading } from '../src/measurement/gpu-reading.js';
import {
  addHealth,
  classifyStamps,
  CONSTANT_MIN_READINGS,
  judgeTimestamps,
  NO_READINGS,
  TIMING,
  timestampHealth,
  withinSpan,
  wroteTimestamps,
} from '../src/device/timestamp-check.js';
import { costBeyondNoise, timingSummary, untimedOpsPerSecond } from '../src/measurement/timing-cost.js';
import { timingFilter } from '../src/measurement/timing-filter.js';
import { hierarchicalDifferenceCi, createRng } from '../src/statistics/index.js';

describe('--gpu-time', () => {
  it('parses the modes and 1/N, and gives them back as given', () => {
    expect(parseGpuTime('sample')).toEqual({ mode: 'sample', oneIn: 2 });
    expect(parseGpuTime('1/4')).toEqual({ mode: 'sample', oneIn: 4 });
    expect(parseGpuTime('every')).toEqual({ mode: 'every', oneIn: 1 });
    expect(parseGpuTime('none')).toEqual({ mode: 'none', oneIn: 0 });
    for (const text of ['sample', '1/4', 'every', 'none'])
      expect(formatGpuTime(parseGpuTime(text))).toBe(text);
    expect(formatGpuTime(parseGpuTime('1/2'))).toBe('sample');
  });

  it('refuses anything else with one line naming the flag', () => {
    for (const bad of ['some', '1/1', '1/0', '2/4', '', '1/1001'])
      expect(() => parseGpuTime(bad)).toThrow(/^--gpu-time must be sample/);
  });

  it('times one op in N in blocks of 8, the first ops untimed, and every op or none', () => {
    const pattern = (text: string, n: number): string =>
      Array.from({ length: n }, (_, k) => (isTimedOp(k, parseGpuTime(text)) ? 'T' : '.')).join('');
    expect(pattern('sample', 32)).toBe('........TTTTTTTT........TTTTTTTT');
    expect(pattern('1/4', 40)).toBe('........................TTTTTTTT........');
    expect(pattern('every', 8)).toBe('TTTTTTTT');
    expect(pattern('none', 8)).toBe('........');
  });

  it('leaves out the first untimed op after each block of timed ones, and no other', () => {
    const plan = parseGpuTime('sample');
    const settle = Array.from({ length: 48 }, (_, k) => k).filter((k) =>
      settlesAfter(k > 0 && isTimedOp(k - 1, plan), isTimedOp(k, plan), plan),
    );
    expect(settle).toEqual([16, 32]);
    expect(settlesAfter(true, false, parseGpuTime('every'))).toBe(false);
    expect(settlesAfter(true, false, parseGpuTime('none'))).toBe(false);
    expect(settlesAfter(true, true, plan)).toBe(false);
  });

  it('starts a period (its untimed ops first) at the next multiple of N x 8 ops', () => {
    const plan = parseGpuTime('sample');
    expect([0, 1, 11, 16, 17].map((k) => periodStart(k, plan))).toEqual([0, 16, 16, 16, 32]);
    expect(periodStart(11, parseGpuTime('1/4'))).toBe(32);
    expect(periodStart(11, parseGpuTime('every'))).toBe(11);
    expect(isTimedOp(periodStart(11, plan), plan)).toBe(false);
  });

  it('times exactly one op in N over any whole number of periods', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.integer({ min: 1, max: 20 }), (n, periods) => {
        const plan = { mode: 'sample' as const, oneIn: n };
        let timed = 0;
        for (let k = 0; k < n * TIMED_BLOCK * periods; k++) if (isTimedOp(k, plan)) timed++;
        return timed === periods * TIMED_BLOCK;
      }),
    );
  });
});

describe('a timestamp reading', () => {
  it('is zero when a stamp was never written or the pass took no time, reversed when it ended first', () => {
    expect(classifyStamps(0n, 0n)).toBe(TIMING.zero);
    expect(classifyStamps(0n, 500n)).toBe(TIMING.zero);
    expect(classifyStamps(700n, 700n)).toBe(TIMING.zero);
    expect(classifyStamps(700n, 600n)).toBe(TIMING.reversed);
    expect(classifyStamps(700n, 900n)).toBe(TIMING.timed);
  });

  it('reads durations and codes per slot', () => {
    const { ns, codes } = readingsOf(BigUint64Array.from([100n, 350n, 0n, 0n, 900n, 800n]));
    expect(Array.from(codes)).toEqual([TIMING.timed, TIMING.zero, TIMING.reversed]);
    expect(ns[0]).toBe(250);
    expect(Number.isNaN(ns[1] ?? 0)).toBe(true);
    expect(Number.isNaN(ns[2] ?? 0)).toBe(true);
  });

  it('fails the span check only past 5% and 20 us over the op that contained it', () => {
    expect(withinSpan(100_000, 100_000)).toBe(true);
    expect(withinSpan(124_000, 100_000)).toBe(true);
    expect(withinSpan(126_000, 100_000)).toBe(false);
    expect(withinSpan(5e9, NaN)).toBe(true);
    expect(checkedReading(TIMING.timed, 126_000, 100_000)).toEqual({ code: TIMING.outOfSpan, ns: NaN });
    expect(checkedReading(TIMING.timed, 50_000, 100_000)).toEqual({ code: TIMING.timed, ns: 50_000 });
    expect(checkedReading(TIMING.zero, 50_000, 100_000)).toEqual({ code: TIMING.zero, ns: NaN });
  });

  it('of an op module is its passes summed, the first failed pass named, an untimed pass leaving it without one', () => {
    const counts = {
      submits: 1,
      submitsUnwaited: 0,
      passes: 2,
      dispatches: 2,
      buffersCreated: 0,
      bytesUploaded: 0,
      buffersLeft: 0,
    };
    const pass = (ns: number, code?: number) => ({ name: 'p', ns, ...(code === undefined ? {} : { code }) });
    expect(opReading({ counts, passes: [pass(10, 1), pass(20, 1)], gpuNs: 30 }, 1e6)).toEqual({
      code: 1,
      ns: 30,
    });
    expect(opReading({ counts, passes: [pass(10, 1), pass(NaN, 3)], gpuNs: NaN }, 1e6).code).toBe(
      TIMING.reversed,
    );
    const own = opReading({ counts, passes: [pass(10, 1), pass(NaN, 0)], gpuNs: NaN }, 1e6);
    expect(own.code).toBe(TIMING.timed);
    expect(Number.isNaN(own.ns)).toBe(true);
    expect(opReading({ counts, passes: [pass(5e6, 1)], gpuNs: 5e6 }, 1e6).code).toBe(TIMING.outOfSpan);
    // Activity from before the checks: a number is a reading that passed.
    expect(opReading({ counts, passes: [{ name: 'p', ns: 10 }], gpuNs: 10 }, 1e6)).toEqual({
      code: 1,
      ns: 10,
    });
  });

  it('wrote timestamps unless it was untimed or had no query set', () => {
    expect(wroteTimestamps(TIMING.untimed)).toBe(false);
    expect(wroteTimestamps(TIMING.noQuerySet)).toBe(false);
    for (const code of [TIMING.timed, TIMING.zero, TIMING.reversed, TIMING.outOfSpan, TIMING.unread])
      expect(wroteTimestamps(code)).toBe(true);
  });
});

describe('injected timestamp faults', () => {
  it('are parsed from WGPROF_INJECT_FAULT beside the op faults', () => {
    expect(parseTimestampFault('timestamps-zero')).toBe('zero');
    expect(parseTimestampFault('timestamps-no-query-set')).toBe('no-query-set');
    expect(parseTimestampFault('throw@3')).toBeUndefined();
    expect(parseTimestampFault(undefined)).toBeUndefined();
  });

  it('rewrite the stamps as each lie has them, and readingsOf names each lie', () => {
    const stamps = (): BigUint64Array => BigUint64Array.from([1000n, 1500n, 2000n, 2900n]);
    expect(Array.from(readingsOf(falsifyStamps(stamps(), 'zero')).codes)).toEqual([TIMING.zero, TIMING.zero]);
    expect(Array.from(readingsOf(falsifyStamps(stamps(), 'reversed')).codes)).toEqual([
      TIMING.reversed,
      TIMING.reversed,
    ]);
    const constant = readingsOf(falsifyStamps(stamps(), 'constant'));
    expect(Array.from(constant.codes)).toEqual([TIMING.timed, TIMING.timed]);
    expect(constant.ns[0]).toBe(constant.ns[1]);
    expect(Array.from(falsifyStamps(stamps(), undefined))).toEqual(Array.from(stamps()));
  });
});

describe("judging a run's timestamps", () => {
  const codes = (list: number[]): Uint8Array => Uint8Array.from(list);

  it('counts only the ops that were to be timed and ended ok', () => {
    const h = timestampHealth(
      codes([0, 1, 0, 2, 7, 3, 1, 4, 6]),
      [NaN, 50, NaN, NaN, NaN, NaN, 60, NaN, NaN],
      true,
      (i) => i !== 6,
    );
    expect(h).toMatchObject({
      timed: 5,
      ok: 1,
      zero: 1,
      reversed: 1,
      outOfSpan: 1,
      unavailable: 1,
      constant: false,
    });
  });

  it('trusts a run with a few failed readings and says what failed', () => {
    const h = timestampHealth(codes([1, 1, 1, 2]), [10, 11, 12, NaN], true);
    const verdict = judgeTimestamps(h);
    expect(verdict.trusted).toBe(true);
    expect(verdict.failed).toBe(1);
    expect(verdict.reason).toMatch(/^1 zero .*, of 4 readings$/);
  });

  it('does not trust a run whose readings mostly fail, naming the largest kind first', () => {
    const h = timestampHealth(codes([2, 2, 2, 3, 1]), [NaN, NaN, NaN, NaN, 10], true);
    const verdict = judgeTimestamps(h);
    expect(verdict.trusted).toBe(false);
    expect(verdict.reason).toMatch(/^3 zero .*, 1 reversed .*, of 5 readings$/);
  });

  it('does not trust exact readings that are all the same, but a handful may be', () => {
    const n = CONSTANT_MIN_READINGS;
    const same = new Array<number>(n).fill(12_345);
    expect(judgeTimestamps(timestampHealth(codes(new Array<number>(n).fill(1)), same, true)).trusted).toBe(
      false,
    );
    expect(judgeTimestamps(timestampHealth(codes(new Array<number>(n).fill(1)), same, false)).trusted).toBe(
      true,
    );
    const few = same.slice(0, n - 1);
    expect(judgeTimestamps(timestampHealth(codes(new Array<number>(n - 1).fill(1)), few, true)).trusted).toBe(
      true,
    );
  });

  it('skips a timed op whose passes were not all timed by wgprof: neither a reading nor a failure', () => {
    const h = timestampHealth(codes([1, 1]), [NaN, 40], true);
    expect(h.timed).toBe(1);
    expect(judgeTimestamps(h)).toEqual({ trusted: true, failed: 0 });
  });

  it('adds the health of several processes', () => {
    const a = timestampHealth(codes([1, 2]), [5, NaN], true);
    const b = timestampHealth(codes([1, 3]), [6, NaN], true);
    expect(addHealth(addHealth(NO_READINGS, a), b)).toMatchObject({ timed: 4, ok: 2, zero: 1, reversed: 1 });
  });
});

describe('which ops a figure comes from', () => {
  it('takes CPU-side figures from untimed ops and the GPU time from timed ones that passed, the settling op in neither', () => {
    const codes = [0, 1, 0, 2, 6, 1, 7];
    const cpu = timingFilter(codes, 'cpu', false);
    const gpu = timingFilter(codes, 'gpu', false);
    expect(codes.map((_, i) => cpu(i))).toEqual([true, false, true, false, true, false, false]);
    expect(codes.map((_, i) => gpu(i))).toEqual([false, true, false, false, false, true, false]);
  });

  it('takes every op when the run timed every op, and every op of an older result', () => {
    const all = timingFilter([1, 1, 1], 'cpu', true);
    expect([0, 1, 2].map(all)).toEqual([true, true, true]);
    expect(timingFilter(undefined, 'gpu', false)(5)).toBe(true);
  });

  it('takes none of a sampled run whose ops all fell in a timed block: the plan decides, not the few ops', () => {
    const none = timingFilter([1, 1, 1], 'cpu', false);
    expect([0, 1, 2].map(none)).toEqual([false, false, false]);
  });
});

describe('the cost of timing', () => {
  const rng = createRng(7);
  const around = (centre: number, n: number): number[] =>
    Array.from({ length: n }, () => centre + 2 * rng.nextNormal());

  it('finds a known cost between alternating ops, and its CI holds it', () => {
    const untimed = [around(70, 200), around(75, 200), around(68, 200)];
    const timed = untimed.map((g) => g.map((v) => v + 28));
    const t = timingSummary({ mode: 'sample', oneIn: 2 }, untimed, timed, NO_READINGS);
    expect(t.costNs?.estimate).toBeCloseTo(28, 0);
    expect(t.costNs?.low).toBeLessThan(28);
    expect(t.costNs?.high).toBeGreaterThan(28);
    expect(costBeyondNoise(t)).toBe(true);
    expect(t.costShare).toBeCloseTo(28 / 70, 1);
    expect(t.figuresOf).toBe('untimed');
  });

  it('finds none where there is none', () => {
    const a = [around(70, 300)];
    const b = [around(70, 300)];
    const t = timingSummary({ mode: 'sample', oneIn: 2 }, a, b, NO_READINGS);
    expect(costBeyondNoise(t)).toBe(false);
  });

  it('is not estimated from a handful of ops, and with every op timed the figures are of all ops', () => {
    expect(
      timingSummary({ mode: 'sample', oneIn: 2 }, [[1, 2, 3]], [[4, 5, 6]], NO_READINGS).costNs,
    ).toBeUndefined();
    const every = timingSummary({ mode: 'every', oneIn: 1 }, [[]], [[4, 5, 6, 7, 8, 9]], NO_READINGS);
    expect(every.figuresOf).toBe('all');
    expect(every.gpuTime).toBe('every');
  });

  it('is a difference whose CI may reach below zero', () => {
    const ci = hierarchicalDifferenceCi([[10, 11, 12, 9, 10]], [[10, 12, 11, 10, 9]]);
    expect(ci.low).toBeLessThan(0);
    expect(ci.high).toBeGreaterThan(0);
  });

  it('leaves ops/s of the untimed ops: their count over their share of the wall time', () => {
    // 10 untimed ops of 1 ms and 10 timed of 3 ms in 40 ms of wall time: 10 ops in 10 ms.
    const untimed = new Array<number>(10).fill(1e6);
    const timed = new Array<number>(10).fill(3e6);
    expect(untimedOpsPerSecond(40e6, untimed, timed, 20)).toBeCloseTo(1000, 6);
    expect(untimedOpsPerSecond(40e6, [], timed, 10)).toBeCloseTo(250, 6);
    expect(untimedOpsPerSecond(0, untimed, timed, 20)).toBe(0);
  });
});
