import { describe, expect, it } from 'vitest';
import { compareRunSets } from '../src/compare/compare-run-sets.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { runCli } from './support/cli.js';

/**
 * The false-alarm rate of `compare` across separate runs, measured rather than assumed: eight
 * real runs of one configuration, split four against four in every one of the 70 ways, each
 * split compared run against run at the default 5% threshold. Drift from one run to the next (a
 * busy machine) is what a single-run comparison cannot tell from a regression; with runs as the
 * samples, it is part of the noise a regression has to beat.
 */
const RUNS = 8;

function splits(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...splits(n - 1, k - 1).map((s) => [...s, n - 1]), ...splits(n - 1, k)];
}

describe('compare on separate runs of the same configuration (A/A)', () => {
  it('calls a regression in about 5% of the splits at most (10%: the splits share their runs)', () => {
    const results: ProfileResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = runCli([
        'profile',
        '--strategy',
        'main',
        '--kernel',
        'scale',
        '--size',
        '256K',
        '--ops',
        '60',
        '--warmup',
        '10',
        '--json',
        '--no-save',
      ]);
      expect(run.status, run.stderr).toBe(0);
      results.push(JSON.parse(run.stdout) as ProfileResult);
    }
    const all = splits(RUNS, RUNS / 2);
    expect(all).toHaveLength(70);
    const alarms: string[] = [];
    for (const side of all) {
      const bases = side.map((i) => results[i] as ProfileResult);
      const nexts = results.filter((_, i) => !side.includes(i));
      if (compareRunSets(bases, nexts, { threshold: 0.05 }).counts.regression > 0) alarms.push(side.join(''));
    }
    console.log(
      `A/A over separate runs, four a side: ${alarms.length}/${all.length} splits with a regression`,
    );
    // The nominal rate is 5% (3 of 70), but the 70 splits are not 70 trials: each run is on one
    // side of every split, so one run slower than the others (a busy moment) tips several splits
    // at once. CI saw 0, 1, 3 and 4 of 70 in four runs; 4 came from one run, in all four splits.
    // Twice the nominal rate is the margin.
    expect(alarms.length, `false alarms in splits ${alarms.join(', ')}`).toBeLessThanOrEqual(
      Math.floor(0.1 * all.length),
    );
  });
});
