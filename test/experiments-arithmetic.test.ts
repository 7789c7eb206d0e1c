import { describe, expect, it } from 'vitest';
import { attributeFreshOp, attributionSteps } from '../src/experiments/attribution.js';
import {
  componentRow,
  repeatExperiments,
  type ComponentRow,
  type Experiment,
} from '../src/experiments/experiment.js';
import { fitBatching } from '../src/experiments/run-sync.js';
import type { BatchRow } from '../src/results/result-types.js';

function row(id: string, samples: number[]): ComponentRow {
  return componentRow({
    experiment: { id, label: id, where: 'worker', run: () => Promise.resolve(0) },
    samples,
    failures: [],
  });
}

describe('attribution of the fresh-worker op', () => {
  const rows = [
    row('worker.empty', [20, 20, 20]),
    row('worker.load', [25, 25, 25]),
    row('worker.device', [60, 60, 60]),
    row('worker.create.pooled', [70, 70, 70]),
    row('worker.dispatch', [80, 80, 80]),
    row('worker.op', [100, 100, 100]),
  ];

  it('takes each component as the difference of consecutive measured rows, adding up to the full op', () => {
    const items = attributeFreshOp(rows, attributionSteps('worker.create.pooled'));
    expect(items.map((i) => [i.component, i.ns, i.percent])).toEqual([
      ['worker create and join', 20, 20],
      ['loading dawn.node', 5, 5],
      ['opening the adapter and device', 35, 35],
      ['tensor creation', 10, 10],
      ['kernel compile and dispatch', 10, 10],
      ['waiting for the GPU, and the rest of the op', 20, 20],
    ]);
    expect(items.reduce((a, b) => a + b.ns, 0)).toBe(100);
    expect(items.reduce((a, b) => a + b.percent, 0)).toBeCloseTo(100, 9);
  });

  it('attributes nothing when a row is missing', () => {
    expect(attributeFreshOp(rows.slice(1), attributionSteps('worker.create.pooled'))).toEqual([]);
    expect(attributeFreshOp(rows, attributionSteps('worker.create.mapped'))).toEqual([]);
  });
});

describe('the batching fit', () => {
  const batch = (k: number, median: number): BatchRow => ({
    ...row(`batch.${k}`, [median, median, median]),
    k,
  });

  it('recovers a known fixed cost and cost per kernel', () => {
    const fit = fitBatching([1, 2, 4, 8, 16, 32, 64].map((k) => batch(k, 50_000 + 7_000 * k)));
    expect(fit.fit?.intercept).toBeCloseTo(50_000, 6);
    expect(fit.fit?.slope).toBeCloseTo(7_000, 6);
    expect(fit.fit?.rSquared).toBeCloseTo(1, 9);
    expect(fit.poorFit).toBeUndefined();
  });

  it('flags a fit a line does not describe', () => {
    const fit = fitBatching([1, 2, 4, 8, 16, 32, 64].map((k) => batch(k, k % 2 === 0 ? 1e6 : 1e3)));
    expect(fit.poorFit).toMatch(/R squared is/);
  });

  it('refuses to fit fewer than three batch sizes', () => {
    expect(fitBatching([batch(1, 10), batch(2, 20)]).poorFit).toMatch(/fewer than three/);
  });
});

describe('repeated experiments', () => {
  const counter = (id: string, ns: (i: number) => number): Experiment & { calls: number } => {
    const e = {
      id,
      label: id,
      where: 'main' as const,
      calls: 0,
      run: () => Promise.resolve(ns(e.calls++)),
    };
    return e;
  };
  const plan = { minCount: 10, maxNoise: 0.05, timeBudgetMs: 60_000, chunk: 5 };

  it('runs each experiment exactly --reps times, interleaved', async () => {
    const a = counter('a', () => 10);
    const b = counter('b', () => 20);
    const outcome = await repeatExperiments([a, b], { ...plan, count: 12 });
    expect(outcome.stoppedBy).toBe('reps');
    expect(outcome.results.map((r) => r.samples.length)).toEqual([12, 12]);
  });

  it('keeps failures with their message, and the other repetitions', async () => {
    const flaky = counter('flaky', (i) => {
      if (i === 2) throw new Error('boom');
      return 5;
    });
    const outcome = await repeatExperiments([flaky], { ...plan, count: 6 });
    expect(outcome.results[0]?.failures).toEqual(['boom']);
    expect(outcome.results[0]?.samples).toHaveLength(6);
  });

  it('stops on noise once every median is precise enough', async () => {
    const outcome = await repeatExperiments([counter('steady', (i) => 1000 + (i % 2))], plan);
    expect(outcome.stoppedBy).toBe('noise');
    expect(outcome.results[0]?.samples.length).toBeGreaterThanOrEqual(10);
  });
});
