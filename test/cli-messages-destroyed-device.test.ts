import { describe, expect, it } from 'vitest';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { EXACT_WARMUP, profileJson } from './support/cli.js';

/**
 * mapAsync on a destroyed device rejects with a DOMException whose message is empty; thrown out of
 * a worker, it crossed to the main thread as `{}`. Records said "" and "worker crashed: undefined".
 * Every path from an op's failure to its record must say what failed.
 */

/** Where the fixture destroys its device: past the interference probe's ops, which run it too. */
const AT = 12;
const OPS = 20;
const DESTROYED = /AbortError with no message \(WebGPU rejects mapAsync .* lost or destroyed\)/;

function profile(strategy: string, floating: boolean): { status: number | null; result: ProfileResult } {
  const { status, result } = profileJson([
    '--op',
    'test/fixtures/ops/maps-destroyed.mjs',
    '--op-arg',
    `at=${AT}`,
    '--op-arg',
    `floating=${floating ? 1 : 0}`,
    '--strategy',
    strategy,
    '--ops',
    String(OPS),
    '--warmup',
    '0',
    ...EXACT_WARMUP,
    '--replicates',
    '1',
  ]);
  return { status, result };
}

function onlyRun(result: ProfileResult): StrategyResult {
  const [run, ...more] = result.runs;
  if (!run || more.length > 0) throw new Error('expected one scenario');
  return run;
}

/** Every failure of the run says something, and never "undefined". */
function expectMeaningful(run: StrategyResult): void {
  expect(run.records.failures.length).toBeGreaterThan(0);
  for (const f of run.records.failures) {
    expect(f.message.trim(), `record ${f.index}`).not.toBe('');
    expect(f.message, `record ${f.index}`).not.toMatch(/\bundefined\b|\[object Object\]/);
  }
}

describe('an op that maps a buffer of the device it destroyed', () => {
  it.each(['main', 'reused'])(
    '%s: the op is failed with the error named and explained, the loss ends the scenario (exit 5)',
    (strategy) => {
      const { status, result } = profile(strategy, false);
      expect(status).toBe(5);
      const run = onlyRun(result);
      expectMeaningful(run);
      // Record 0 is the cold op, the thread's op 1: the fixture's op AT is record AT - 1.
      expect(run.records.failures[0]).toEqual({
        index: AT - 1,
        status: 'failed',
        message: expect.stringMatching(DESTROYED) as unknown,
      });
      expect(run.opsOk).toBe(AT - 2);
      expect(run.deviceLost).toMatch(/destroyed/);
    },
  );
});

describe('an op whose rejected mapAsync is not awaited, in a worker: the rejection ends the thread', () => {
  it.each([
    ['reused', /^worker crashed: /],
    ['pool', /^the pool thread crashed: /],
    ['persistent', /^the persistent worker died: worker crashed: /],
  ])('%s: the op the thread took down names what ended it', (strategy, how) => {
    const { status, result } = profile(strategy, true);
    expect(status).toBe(0);
    const run = onlyRun(result);
    expectMeaningful(run);
    const [failure] = run.records.failures;
    expect(failure?.index).toBe(AT - 1);
    expect(failure?.message).toMatch(how);
    expect(failure?.message).toMatch(DESTROYED);
    // A new thread with a new device took over, and the run went on to --ops.
    expect(run.opsOk + run.opsFailed).toBe(OPS);
  });
});
