import type { Strategy } from '../../strategies/strategy.js';
import { median } from '../../statistics/index.js';
import { startAtomicsPingPong } from '../baselines/atomics-ping-pong.js';
import { startEcho } from '../baselines/echo.js';
import { startPiscina } from '../baselines/piscina-round-trip.js';
import type { RawRoundTrip } from '../baselines/protocol.js';
import { benchStrategies, closeAll, NOOP_OP, openBenchGpu } from '../bench-gpu.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow } from '../bench-types.js';
import { medianFigure, ratioFigure } from '../figures.js';
import { interleave, type Arm } from '../interleave.js';
import { completedRow } from '../verdict.js';

/** The handoff phase of the ops a chunk of a worker strategy added: one sample per op. */
function handoffArm(strategy: Strategy): Arm {
  return {
    name: strategy.scenario.label,
    async runBlock(ops) {
      const { store } = strategy;
      const from = store.count;
      await strategy.runChunk(ops);
      const handoffs = store.column('handoff').subarray(from);
      return Array.from(handoffs).filter((v, i) => store.status(from + i) === 'ok' && !Number.isNaN(v));
    },
  };
}

/**
 * One session: wgprof's reused (both handoffs) and pool/1 strategies and the six raw baselines,
 * each on a thread of its own, interleaved for `rounds` rounds. Returns the samples by arm name.
 */
async function session(plan: BenchPlan, rounds: number): Promise<Map<string, Float64Array>> {
  const bench = await openBenchGpu({
    ...NOOP_OP,
    strategy: 'reused,pool',
    handoff: 'message,atomics',
    poolSize: '1',
  });
  const strategies = benchStrategies(bench);
  const raws: RawRoundTrip[] = [];
  try {
    for (const strategy of strategies) await strategy.start();
    const { config } = bench.context;
    const raw = async (name: string, started: Promise<RawRoundTrip>): Promise<Arm> => {
      const trip = await started;
      raws.push(trip);
      return { name, runBlock: (ops) => trip.runBlock(ops) };
    };
    const arms: Arm[] = [
      ...strategies.map(handoffArm),
      await raw('echo', startEcho({})),
      await raw('echo + op', startEcho({ config })),
      await raw('atomics', startAtomicsPingPong({})),
      await raw('atomics + op', startAtomicsPingPong({ config })),
      await raw('piscina', startPiscina({})),
      await raw('piscina + op', startPiscina({ config })),
    ];
    const { opsPerBlock } = plan.handoff;
    await interleave(arms, { rounds: 1, opsPerBlock });
    const samples = await interleave(arms, { rounds, opsPerBlock });
    return new Map(arms.map((arm, k) => [arm.name, samples[k] ?? new Float64Array()]));
  } finally {
    for (const trip of raws) await trip.close();
    await closeAll(strategies, bench);
  }
}

interface Pairing {
  readonly id: string;
  readonly wgprof: string;
  readonly baseline: string;
  readonly limit: number;
  readonly measure: string;
}

const WITH_OP = "around the same op (wgprof's op, in the baseline's worker)";

const PAIRINGS: readonly Pairing[] = [
  {
    id: '2a',
    wgprof: 'reused/message',
    baseline: 'echo',
    limit: 1.25,
    measure: 'handoff: reused/message vs raw postMessage echo',
  },
  {
    id: '2b',
    wgprof: 'reused/atomics',
    baseline: 'atomics',
    limit: 1.25,
    measure: 'handoff: reused/atomics vs raw Atomics.wait/notify ping-pong',
  },
  {
    id: '2c',
    wgprof: 'reused/message',
    baseline: 'piscina',
    limit: 1,
    measure: 'handoff: reused/message vs piscina, trivial task',
  },
  {
    id: '2d',
    wgprof: 'reused/atomics',
    baseline: 'piscina',
    limit: 1,
    measure: 'handoff: reused/atomics vs piscina, trivial task',
  },
  {
    id: '2e',
    wgprof: 'reused/message',
    baseline: 'echo + op',
    limit: 1.25,
    measure: `handoff: reused/message vs raw postMessage echo ${WITH_OP}`,
  },
  {
    id: '2f',
    wgprof: 'reused/atomics',
    baseline: 'atomics + op',
    limit: 1.25,
    measure: `handoff: reused/atomics vs raw Atomics ping-pong ${WITH_OP}`,
  },
  {
    id: '2g',
    wgprof: 'reused/message',
    baseline: 'piscina + op',
    limit: 1,
    measure: `handoff: reused/message vs piscina task ${WITH_OP}`,
  },
  {
    id: '2h',
    wgprof: 'pool/1',
    baseline: 'piscina + op',
    limit: 1,
    measure: `handoff: pool/1 (wgprof on piscina) vs piscina task ${WITH_OP}`,
  },
];

/**
 * Row 2: wgprof's handoff as its records count it (the main thread's wait beyond the time spent
 * inside the worker) on the noop op, against raw round trips of the same kind, all interleaved.
 * Every raw baseline runs twice: with nothing inside the worker (the pure ping-pong), and around
 * the same op (worker-op.ts), so that only the handoff differs: on a software GPU the driver's
 * threads share the cores with the two threads that hand the op over, and waking those threads
 * after an op costs several times a bare ping-pong. The whole comparison runs in a few sessions
 * of fresh threads, because where the scheduler places each thread shifts one session's figures.
 */
export async function handoffRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const { sessions, rounds, opsPerBlock } = plan.handoff;
  const perSession: Map<string, Float64Array>[] = [];
  for (let s = 0; s < sessions; s++) perSession.push(await session(plan, Math.ceil(rounds / sessions)));
  const pooled = (name: string): Float64Array =>
    Float64Array.from(perSession.flatMap((samples) => Array.from(samples.get(name) ?? [])));
  return PAIRINGS.map((p) => {
    const ours = pooled(p.wgprof);
    const theirs = pooled(p.baseline);
    const ratio = ratioFigure(ours, theirs);
    const bySession = perSession.map(
      (samples) => median(samples.get(p.wgprof) ?? [NaN]) / median(samples.get(p.baseline) ?? [NaN]),
    );
    return completedRow({
      id: p.id,
      measure: p.measure,
      wgprof: medianFigure(ours, 'ns'),
      baseline: medianFigure(theirs, 'ns'),
      ratio,
      target: { text: `<= ${p.limit.toFixed(2)}x`, direction: 'at-most', limit: p.limit, checked: ratio },
      note:
        `medians of ${ours.length} and ${theirs.length} round trips: ${sessions} sessions of fresh threads, ` +
        `${rounds} interleaved rounds of ${opsPerBlock} in all; the ratio in each session: ` +
        `${bySession.map((r) => `${r.toFixed(2)}x`).join(', ')}. wgprof's op is noop 1K on the worker's own device.`,
      details: { wgprofSamples: ours.length, baselineSamples: theirs.length, ratioBySession: bySession },
    });
  });
}
