import { describe, expect, it } from 'vitest';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { EXACT_WARMUP, profileJson } from './support/cli.js';

/**
 * An injected fault (WGPROF_INJECT_FAULT=KIND@N) fires once: the worker a strategy starts to
 * replace the one the fault took down is told that it fired, and leaves it alone. It used to fire
 * again at each replacement's own Nth op, so that a crash@N run was a crash every N ops.
 */

const OPS = 30;
/** The fault's op: with no warm-up, the thread's op N is record N - 1 (record 0 is its cold op). */
const N = 5;

function profile(fault: string, strategy: readonly string[], extra: readonly string[] = []): ProfileResult {
  const { result, ...run } = profileJson(
    [
      '--kernel',
      'noop',
      '--size',
      '1K',
      '--ops',
      String(OPS),
      '--warmup',
      '0',
      ...EXACT_WARMUP,
      // One measuring process per scenario: each would count its own ops.
      '--replicates',
      '1',
      '--strategy',
      ...strategy,
      ...extra,
    ],
    { env: { WGPROF_INJECT_FAULT: fault }, timeoutMs: 90_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  return result;
}

/** The fault took down one op, a new thread (its op cold) took over, and every other op was measured. */
function expectOneFault(r: StrategyResult, status: 'failed' | 'timeout', message: RegExp): void {
  expect(r.records.failures, r.label).toEqual([
    { index: N - 1, status, message: expect.stringMatching(message) as unknown },
  ]);
  expect(r.records.cold, `${r.label}: the replacement's first op is cold`).toContain(N);
  expect(r.opsOk, r.label).toBe(OPS - 1);
  expect(r.opsOk + r.opsFailed + r.opsTimedOut, r.label).toBe(OPS);
  expect(r.deviceLost, r.label).toBeUndefined();
}

describe('an injected fault that takes its worker down fires once, not again in each replacement', () => {
  it('crash@5 under reused (both handoffs), pool/1 and persistent', () => {
    const result = profile(`crash@${N}`, ['reused,pool,persistent', '--handoff', 'message,atomics']);
    expect(result.runs.map((r) => r.label)).toEqual([
      'reused/message',
      'reused/atomics',
      'pool/1',
      'persistent',
    ]);
    for (const r of result.runs)
      expectOneFault(r, 'failed', new RegExp(`crashe.*injected fault: .*crashes at op ${N}\\b`));
  }, 120_000);

  it('hang@5 under reused and persistent: one op times out, the replacement measures the rest', () => {
    const result = profile(`hang@${N}`, ['reused,persistent'], ['--op-timeout', '2s']);
    for (const r of result.runs) expectOneFault(r, 'timeout', /2000 ms/);
  }, 120_000);
});
