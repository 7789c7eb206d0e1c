import { describe, expect, it } from 'vitest';
import { ChunkMeter } from '../src/measurement/chunk-meter.js';
import { RecordStore } from '../src/measurement/record-store.js';
import { runRounds } from '../src/measurement/rounds.js';
import type { Strategy } from '../src/strategies/strategy.js';

/** A strategy without a GPU: each op takes `latency(i)` ns, recorded as the real ones are. */
function fake(
  label: string,
  latency: (i: number) => number,
  options: { everyOpCold?: boolean; coldFirst?: boolean } = {},
): Strategy & { calls: number[] } {
  const store = new RecordStore(['sync'], 0n, 16, options.everyOpCold ?? false);
  if (options.coldFirst) store.markCold(store.appendOp(1n, 1e6, NaN, NaN, 1, NaN));
  const calls: number[] = [];
  return {
    scenario: { strategy: 'main', label, concurrency: 1 },
    store,
    meter: new ChunkMeter(),
    threadCpuNs: undefined,
    lost: undefined,
    calls,
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
    runChunk(ops: number) {
      calls.push(ops);
      for (let k = 0; k < ops; k++) {
        const ns = latency(store.count);
        const i = store.appendOp(BigInt(store.count + 1), ns, NaN, NaN, ns, NaN);
        if (options.everyOpCold) store.markCold(i);
      }
      return Promise.resolve();
    },
  };
}

const plan = { maxNoise: 0.02, timeBudgetMs: 60_000, chunk: 20, minCount: 30 };

describe('interleaved rounds', () => {
  it('visits every strategy once per round and stops exactly at a fixed op count', async () => {
    const main = fake('main', () => 1000, { coldFirst: true });
    const fresh = fake('fresh', () => 50_000, { everyOpCold: true });
    const outcome = await runRounds([main, fresh], { ...plan, count: 50 });
    expect(outcome).toMatchObject({ rounds: 3, stoppedBy: 'ops' });
    // The cold first op does not count towards --ops.
    expect(main.calls).toEqual([20, 20, 10]);
    expect(fresh.calls).toEqual([20, 20, 10]);
    expect(main.store.count).toBe(51);
  });

  it('stops once every median is known to --max-noise', async () => {
    const steady = fake('steady', (i) => 1000 + (i % 3));
    const outcome = await runRounds([steady, fake('also', (i) => 2000 + (i % 5))], plan);
    expect(outcome.stoppedBy).toBe('noise');
    // Not before the minimum number of ops.
    expect(steady.store.count).toBeGreaterThanOrEqual(30);
  });

  it('stops at the time budget when the noise never settles', async () => {
    const wild = fake('wild', (i) => (i % 2 === 0 ? 1000 : 100_000));
    const outcome = await runRounds([wild], { ...plan, timeBudgetMs: 50 });
    expect(outcome.stoppedBy).toBe('time-budget');
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(50);
  });
});
