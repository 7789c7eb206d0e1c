import { describe, expect, it } from 'vitest';
import { FAILING_STREAK } from '../src/measurement/rounds.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { profileJson } from './support/cli.js';

/**
 * An op whose every op fails gives up after FAILING_STREAK failures in a row, rather than being
 * run (and its worker restarted) until the time budget runs out: a module that crashed its
 * reused or persistent worker at every op once left about a thousand failed records behind.
 */
function profile(
  strategy: string,
  mode: 'throw' | 'crash',
): { status: number | null; result: ProfileResult; stderr: string } {
  return profileJson(
    [
      '--op',
      'test/fixtures/ops/fails-every-op.mjs',
      '--op-arg',
      `mode=${mode}`,
      '--strategy',
      strategy,
      '--replicates',
      '1',
      '--time-budget',
      '60s',
    ],
    { timeoutMs: 120_000 },
  );
}

describe('an op that only fails', () => {
  for (const [strategy, mode] of [
    ['main', 'throw'],
    ['reused', 'crash'],
    ['persistent', 'crash'],
  ] as const)
    it(`${strategy}, every op ${mode === 'crash' ? 'crashing its worker' : 'throwing'}: gives up after ${FAILING_STREAK} in a row, says why, exits 5`, () => {
      const { status, result, stderr } = profile(strategy, mode);
      expect(status).toBe(5);
      expect(stderr).toMatch(/every op failed: /);
      const run = result.runs[0];
      const records = run?.records.startNs.length ?? 0;
      expect(records).toBeGreaterThanOrEqual(FAILING_STREAK);
      // The streak, and at most the rest of the chunk it ended in.
      expect(records).toBeLessThan(FAILING_STREAK + 20);
      expect(run?.replicates?.map((r) => r.stoppedBy)).toEqual(['failing']);
      expect(result.rounds.stoppedBy).toBe('failing');
      // Far from the 60 s budget: it stopped because the ops failed, not because time ran out.
      expect(result.rounds.elapsedMs).toBeLessThan(40_000);
    }, 120_000);
});

describe("an op's callback that throws on the main thread", () => {
  it('fails an op (the one in flight, or the next), never the measuring process', () => {
    // Each op throws from a setImmediate: mostly while its op is in flight, now and then while
    // none is (between two ops); both are the op's exceptions, not wgprof's.
    for (let i = 0; i < 3; i++) {
      const { status, result, stderr } = profile('main', 'crash');
      expect(stderr).not.toContain('internal error');
      expect([0, 5]).toContain(status);
      const failures = result.runs[0]?.records.failures ?? [];
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) expect(f.message).toBe('the op crashed its thread');
    }
  }, 180_000);
});
