import { OpRunner } from '../../measurement/op-runner.js';
import { RecordStore } from '../../measurement/record-store.js';
import { measureRecordingCost } from '../../measurement/recording-cost.js';
import { runBare } from '../../measurement/time-op.js';
import { openOp } from '../../op/op-kinds.js';
import { corePhases } from '../../op/phases.js';
import { bootstrapMedianCi, median, sortedCopy } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import { NOOP_OP, openBenchGpu } from '../bench-gpu.js';
import type { CompletedRow, Target } from '../bench-types.js';
import { medianFigure, ratioFigure } from '../figures.js';
import { interleave, timedBlock } from '../interleave.js';
import { completedRow } from '../verdict.js';

const ADDED_LIMIT_NS = 1000;

function addedTarget(value: number, low: number, high: number): Target {
  return {
    text: '<= 1 us added per op',
    direction: 'at-most',
    limit: ADDED_LIMIT_NS,
    checked: { value, unit: 'ns', low, high },
  };
}

/** 1a: wgprof's readings and store append around an op that does nothing on the CPU. */
async function cpuRow(plan: BenchPlan): Promise<CompletedRow> {
  const cost = await measureRecordingCost({
    blocks: plan.recording.cpuBlocks,
    opsPerBlock: plan.recording.cpuOpsPerBlock,
  });
  return completedRow({
    id: '1a',
    measure: 'recording: time per CPU no-op op, recorded vs bare',
    wgprof: { value: cost.recordedNs, unit: 'ns' },
    baseline: { value: cost.bareNs, unit: 'ns' },
    ratio: { value: cost.ratio.estimate, unit: 'x', low: cost.ratio.low, high: cost.ratio.high },
    target: addedTarget(cost.addedNs, cost.addedCi.low, cost.addedCi.high),
    note:
      `measureRecordingCost(): ${cost.blocks} alternating blocks of ${cost.opsPerBlock} ops per arm; ` +
      "the op is one await; recorded adds timeOp's clock readings and the RecordStore append, bare is runBare. " +
      'The ratio is large because the op is nothing: the target is the time added.',
    details: { ...cost },
  });
}

/**
 * 1b: the real op runner (OpRunner.run into a RecordStore, with its watchdog) against the same
 * op run by runBare (the same calls and awaits, no readings, no store), on the main thread's device. GPU timestamp queries are off in both:
 * they change the GPU's work, not the recording.
 */
async function gpuRow(plan: BenchPlan): Promise<CompletedRow> {
  const bench = await openBenchGpu(NOOP_OP);
  const { gpu, config, origin } = bench.context;
  // With the op timeout as every run has it: its watchdog is part of the runner's cost.
  const runner = new OpRunner(gpu, await openOp(gpu, config), {
    timeoutMs: config.opTimeoutMs,
    timestamps: false,
  });
  const bare = await openOp(gpu, config);
  try {
    const store = new RecordStore(corePhases(false, false), origin);
    const arms = [
      {
        name: 'recorded',
        runBlock: timedBlock((ops) => runner.run(ops, 0, store)),
      },
      {
        name: 'bare',
        runBlock: timedBlock(async (ops) => {
          for (let i = 0; i < ops; i++) await runBare(bare);
        }),
      },
    ];
    await interleave(arms, { rounds: 2, opsPerBlock: plan.recording.gpuOpsPerBlock });
    const [recorded = new Float64Array(), bareNs = new Float64Array()] = await interleave(arms, {
      rounds: plan.recording.gpuRounds,
      opsPerBlock: plan.recording.gpuOpsPerBlock,
    });
    // Blocks of one round ran back to back: their difference is one paired sample.
    const added = recorded.map((r, i) => r - (bareNs[i] ?? NaN));
    const addedCi = bootstrapMedianCi(sortedCopy(added));
    return completedRow({
      id: '1b',
      measure: 'recording: time per GPU noop op (main thread), recorded vs bare',
      wgprof: medianFigure(recorded, 'ns'),
      baseline: medianFigure(bareNs, 'ns'),
      ratio: ratioFigure(recorded, bareNs),
      target: addedTarget(median(added), addedCi.low, addedCi.high),
      note:
        `${plan.recording.gpuRounds} alternating blocks of ${plan.recording.gpuOpsPerBlock} ops per arm; ` +
        'recorded is OpRunner.run into a RecordStore, bare is runBare: the same op, calls and awaits, no readings ' +
        `(noop, ${config.size} f32, ${config.create}; GPU timestamps off in both).`,
      details: { blocks: recorded.length, opsPerBlock: plan.recording.gpuOpsPerBlock, added: addedCi },
    });
  } finally {
    await runner.dispose();
    await bare.dispose();
    bench.close();
  }
}

export async function recordingRows(plan: BenchPlan): Promise<CompletedRow[]> {
  return [await cpuRow(plan), await gpuRow(plan)];
}
