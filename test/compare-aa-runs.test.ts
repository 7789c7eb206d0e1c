import { describe, expect, it } from 'vitest';
import { compareResults } from '../src/compare/compare-results.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { runCli } from './support/cli.js';

/**
 * The false-alarm rate of `compare` across separate runs, measured rather than assumed: six real
 * runs of one configuration, compared in all 30 ordered pairs at the default 5% threshold.
 * The configuration is one whose op time is the GPU's (scale, 256K): on lavapipe a tiny op's
 * sync time can jump between runs (see the README), which no within-run statistic can tell from
 * a regression.
 */
const RUNS = 6;

describe('compare on pairs of separate runs of the same configuration (A/A)', () => {
  it('calls a regression in at most 5% of the pairs', () => {
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
        '100',
        '--warmup',
        '20',
        '--json',
        '--no-save',
      ]);
      expect(run.status, run.stderr).toBe(0);
      results.push(JSON.parse(run.stdout) as ProfileResult);
    }
    let pairs = 0;
    const alarms: string[] = [];
    for (const [a, base] of results.entries()) {
      for (const [b, next] of results.entries()) {
        if (a === b) continue;
        pairs++;
        const comparison = compareResults(base, next, { threshold: 0.05 });
        if (comparison.counts.regression > 0) alarms.push(`${a} vs ${b}`);
      }
    }
    expect(pairs).toBe(30);
    // At least 95% of the pairs clean: at most one false alarm in 30.
    expect(alarms.length, `false alarms: ${alarms.join(', ')}`).toBeLessThanOrEqual(Math.floor(0.05 * pairs));
  });
});
