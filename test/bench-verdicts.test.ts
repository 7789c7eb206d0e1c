import { describe, expect, it } from 'vitest';
import {
  agreementNeeded,
  agreementOf,
  compareVerdicts,
  scenarioVerdicts,
  verdictWord,
  verdictWords,
  wallSpread,
  type VerdictWords,
} from '../src/bench/verdicts.js';
import type { VerdictCategory } from '../src/reports/guidance.js';
import type { ProfileResult } from '../src/results/result-types.js';

const vsMain = (estimate: number, low: number, high: number) => ({ estimate, low, high, level: 0.95 });

/** A scenario as a result holds it: only what the verdicts read (vsMain, the start phases, everyOpCold). */
function run(
  strategy: string,
  label: string,
  speed?: [number, number, number],
  extra: { everyOpCold?: boolean; summary?: Record<string, { median: number }> } = {},
) {
  return {
    strategy,
    label,
    everyOpCold: extra.everyOpCold ?? false,
    summary: extra.summary ?? {},
    ...(speed ? { vsMain: vsMain(...speed) } : {}),
  };
}

const resultOf = (...runs: ReturnType<typeof run>[]): ProfileResult => ({ runs }) as unknown as ProfileResult;

describe('verdictWord', () => {
  it('joins the two fine categories and the two avoid ones, and keeps the rest', () => {
    const categories: VerdictCategory[] = [
      'no-overhead',
      'negligible',
      'avoid-start',
      'avoid',
      'costs',
      'faster',
      'undecided',
    ];
    expect(categories.map(verdictWord)).toEqual([
      'fine',
      'fine',
      'avoid',
      'avoid',
      'costs',
      'faster',
      'undecided',
    ]);
  });
});

describe('scenarioVerdicts and verdictWords', () => {
  // Speeds relative to main as [estimate, low, high]; the overhead is 100 (1 - speed), its ends swapped.
  const result = resultOf(
    run('main', 'main', [1, 0.9, 1.1]),
    // Overhead 1% [-2, 3]: the CI holds zero and reaches no further than 15%: no overhead.
    run('reused', 'reused/message', [0.99, 0.97, 1.02]),
    // 3% [2, 4]: above zero, under 5%: negligible.
    run('pool', 'pool/1', [0.97, 0.96, 0.98]),
    // 80% [78, 82], every op a worker's first, with a start: avoid-start.
    run('fresh', 'fresh', [0.2, 0.18, 0.22], { everyOpCold: true, summary: { spawn: { median: 1000 } } }),
    // -20% [-30, -10]: faster.
    run('persistent', 'persistent', [1.2, 1.1, 1.3]),
    // 25% [12.5, 50]: costs (under 50% by its estimate).
    run('reused', 'reused/atomics', [0.75, 0.5, 0.875]),
    // 60% [55, 65], warm: avoid.
    run('pool', 'pool/2', [0.4, 0.35, 0.45]),
    // 0% [-25, 25]: holds zero but reaches past 15%: undecided.
    run('pool', 'pool/4', [1, 0.75, 1.25]),
    // No vs main: no verdict.
    run('pool', 'pool/8'),
  );

  it("gives each scenario but main, with a vs main, its guidance category's word, in the result's order", () => {
    expect(verdictWords(result)).toEqual({
      'reused/message': 'fine',
      'pool/1': 'fine',
      fresh: 'avoid',
      persistent: 'faster',
      'reused/atomics': 'costs',
      'pool/2': 'avoid',
      'pool/4': 'undecided',
    });
    expect(Object.keys(verdictWords(result))).toEqual([
      'reused/message',
      'pool/1',
      'fresh',
      'persistent',
      'reused/atomics',
      'pool/2',
      'pool/4',
    ]);
  });

  it('keeps the category and the overhead it came from', () => {
    const verdicts = scenarioVerdicts(result);
    expect(verdicts.map((v) => v.category)).toEqual([
      'no-overhead',
      'negligible',
      'avoid-start',
      'faster',
      'costs',
      'avoid',
      'undecided',
    ]);
    expect(verdicts.find((v) => v.label === 'reused/atomics')).toEqual({
      label: 'reused/atomics',
      category: 'costs',
      word: 'costs',
      overhead: { estimate: 25, low: 12.5, high: 50 },
    });
  });

  it('has no verdicts for main alone or a result without vs main', () => {
    expect(verdictWords(resultOf(run('main', 'main', [1, 1, 1])))).toEqual({});
    expect(scenarioVerdicts(resultOf(run('main', 'main'), run('pool', 'pool/1')))).toEqual([]);
  });
});

describe('compareVerdicts', () => {
  const long: VerdictWords = { fresh: 'avoid', 'pool/1': 'fine', persistent: 'faster' };

  it('agrees when every scenario has the long run’s word', () => {
    expect(compareVerdicts({ ...long }, long)).toEqual({
      agrees: true,
      contradicts: false,
      differing: [],
      contradicting: [],
    });
  });

  it('does not agree, and does not contradict, where the short run is undecided', () => {
    expect(compareVerdicts({ ...long, 'pool/1': 'undecided' }, long)).toEqual({
      agrees: false,
      contradicts: false,
      differing: ['pool/1'],
      contradicting: [],
    });
  });

  it('does not contradict where the long run is undecided', () => {
    expect(compareVerdicts({ ...long, 'pool/1': 'costs' }, { ...long, 'pool/1': 'undecided' })).toEqual({
      agrees: false,
      contradicts: false,
      differing: ['pool/1'],
      contradicting: [],
    });
  });

  it('contradicts where both decided, differently', () => {
    expect(compareVerdicts({ fresh: 'costs', 'pool/1': 'undecided', persistent: 'fine' }, long)).toEqual({
      agrees: false,
      contradicts: true,
      differing: ['fresh', 'pool/1', 'persistent'],
      contradicting: ['fresh', 'persistent'],
    });
  });

  it("breaks agreement, and contradicts nothing, with a scenario one run lacks (the long run's labels first)", () => {
    expect(compareVerdicts({ extra: 'fine', fresh: 'avoid', persistent: 'faster' }, long)).toEqual({
      agrees: false,
      contradicts: false,
      differing: ['pool/1', 'extra'],
      contradicting: [],
    });
  });
});

describe('agreementOf', () => {
  it('counts agreeing and contradicting runs, and per scenario the same words, undecided, others and missing', () => {
    const long: VerdictWords = { fresh: 'avoid', 'pool/1': 'fine', 'pool/2': 'undecided' };
    const shorts: VerdictWords[] = [
      { fresh: 'avoid', 'pool/1': 'fine', 'pool/2': 'undecided' }, // agrees
      { fresh: 'avoid', 'pool/1': 'undecided', 'pool/2': 'undecided' }, // differs only
      { fresh: 'costs', 'pool/1': 'fine', 'pool/2': 'fine' }, // contradicts on fresh
      { fresh: 'avoid', 'pool/2': 'costs' }, // pool/1 missing: differs only
    ];
    const summary = agreementOf(shorts, long);
    expect(summary.runs).toBe(4);
    expect(summary.agreeing).toBe(1);
    expect(summary.contradicting).toBe(1);
    expect(summary.comparisons.map((c) => [c.agrees, c.contradicts])).toEqual([
      [true, false],
      [false, false],
      [false, true],
      [false, false],
    ]);
    expect(summary.scenarios).toEqual([
      { label: 'fresh', long: 'avoid', same: 3, undecided: 0, contradicting: 1, missing: 0 },
      { label: 'pool/1', long: 'fine', same: 2, undecided: 1, contradicting: 0, missing: 1 },
      // The long run decided nothing here: a decided short word is neither the same nor a contradiction.
      { label: 'pool/2', long: 'undecided', same: 2, undecided: 0, contradicting: 0, missing: 0 },
    ]);
  });

  it('lists a scenario only the short runs have, without a long word', () => {
    const summary = agreementOf([{ a: 'fine', b: 'costs' }], { a: 'fine' });
    expect(summary.agreeing).toBe(0);
    expect(summary.contradicting).toBe(0);
    expect(summary.scenarios).toEqual([
      { label: 'a', long: 'fine', same: 1, undecided: 0, contradicting: 0, missing: 0 },
      { label: 'b', same: 0, undecided: 0, contradicting: 0, missing: 0 },
    ]);
  });

  it('has nothing to count without short runs', () => {
    expect(agreementOf([], { a: 'fine' })).toEqual({
      runs: 0,
      agreeing: 0,
      contradicting: 0,
      comparisons: [],
      scenarios: [{ label: 'a', long: 'fine', same: 0, undecided: 0, contradicting: 0, missing: 0 }],
    });
  });
});

describe('agreementNeeded', () => {
  it('is the least count at least the share of the runs', () => {
    expect(agreementNeeded(10, 0.9)).toBe(9);
    expect(agreementNeeded(20, 0.9)).toBe(18);
    expect(agreementNeeded(2, 0.9)).toBe(2);
    expect(agreementNeeded(1, 0.9)).toBe(1);
    expect(agreementNeeded(11, 0.9)).toBe(10);
    expect(agreementNeeded(0, 0.9)).toBe(0);
  });
});

describe('wallSpread', () => {
  it('is the median and the range, and NaNs when empty', () => {
    expect(wallSpread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(wallSpread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(wallSpread([])).toEqual({ median: NaN, min: NaN, max: NaN });
  });
});
