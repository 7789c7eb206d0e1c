import { fileURLToPath } from 'node:url';
import { globals } from 'webgpu';
import { openDevice, type GpuContext } from '../../device/open-device.js';
import type { OpActivity } from '../../instrument/op-activity.js';
import type { OpRecorder } from '../../instrument/op-recorder.js';
import {
  instrumentWebGpu,
  setActiveRecorder,
  setDeviceErrorSink,
  type WebGpuClasses,
} from '../../instrument/webgpu-instrumentation.js';
import { openModuleOp, type ModuleOp } from '../../op/module-op.js';
import { median } from '../../statistics/index.js';
import { addedSplit, addedSplitTable, figureCell, minus, NO_FIGURE, pairedFigure } from '../added-split.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, DetailTable, Figure, Target } from '../bench-types.js';
import { medianFigure, ratioFigure } from '../figures.js';
import { interleave, type Arm } from '../interleave.js';
import { formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

/** The bench's op module, built beside this folder (dist/bench/passes-op.js). */
const PASSES_OP = fileURLToPath(new URL('../passes-op.js', import.meta.url));
const CLASSES = globals as unknown as WebGpuClasses;

/** The two ops: one compute pass, and many, so that the cost of a pass is their difference over the extra ones. */
const FEW = 1;
const MANY = 8;
const OP_LIMIT_NS = 2000;
const PASS_LIMIT_NS = 1000;

const now = (): bigint => process.hrtime.bigint();

/**
 * One op, as the op runner runs an op module: create and dispatch, sync, release; with a
 * recorder, it is begun and made active before create and ended after release (op-runner.ts).
 * Writes the op's CPU time (create + dispatch + release, where the patches act, and the
 * recorder's begin/end) and its whole time (sync included) at `i`.
 */
async function timeOneOp(
  op: ModuleOp,
  recorder: OpRecorder | undefined,
  cpu: Float64Array,
  total: Float64Array,
  i: number,
): Promise<void> {
  const start = now();
  if (recorder) {
    recorder.begin();
    setActiveRecorder(recorder);
  }
  let dispatched = start;
  let synced = start;
  try {
    const creating = op.create();
    if (creating) await creating;
    const dispatching = op.dispatch();
    if (dispatching) await dispatching;
    dispatched = now();
    await op.sync();
    synced = now();
  } finally {
    const releasing = op.release();
    if (releasing) await releasing;
    if (recorder) {
      setActiveRecorder(undefined);
      recorder.end();
    }
  }
  const end = now();
  cpu[i] = Number(dispatched - start) + Number(end - synced);
  total[i] = Number(end - start);
}

/** Checks what the recorder saw against what the op does; keeps each timed pass's GPU time. */
function checkActivity(activities: readonly OpActivity[], passes: number, gpuNs: number[]): void {
  for (const { counts, passes: times } of activities) {
    const expected = { submits: 1, passes, dispatches: passes, buffersCreated: 1, buffersLeft: 0 };
    for (const [key, value] of Object.entries(expected)) {
      const seen = counts[key as keyof typeof expected];
      if (seen !== value)
        throw new Error(`the instrumentation counted ${seen} ${key} in an op that has ${value}`);
    }
    for (const t of times) if (Number.isFinite(t.ns)) gpuNs.push(t.ns);
  }
}

interface ArmSamples {
  /** Per block: the median over its timed ops, ns. */
  readonly cpu: number[];
  readonly total: number[];
}

/**
 * The arms: the op bare (the prototypes' original methods, no recorder); the op writing
 * timestampWrites of its own, bare too (what the driver's timestamp writes cost without
 * wgprof); and instrumented (the patches on, the op's recorder active around each op).
 */
type Kind = 'bare' | 'own' | 'instrumented';

/**
 * One arm's blocks: the op with `passes` passes, in the arm's kind. The instrumented arm's
 * recorder is flushed after the block, as the runner flushes between ops, outside the timing.
 * The first `settle` ops of a block are not timed: they are the first calls after the
 * prototypes changed.
 */
function arm(
  kind: Kind,
  op: ModuleOp,
  passes: number,
  plan: BenchPlan['instrumentation'],
  samples: ArmSamples,
  gpuNs: number[],
  takeOff: () => void,
): Arm {
  const cpu = new Float64Array(plan.settleOps + plan.opsPerBlock);
  const total = new Float64Array(cpu.length);
  const recorder = kind === 'instrumented' ? op.recorder : undefined;
  return {
    name: `${kind} ${passes}`,
    runBlock: async () => {
      if (recorder) instrumentWebGpu(CLASSES);
      else takeOff();
      for (let i = 0; i < cpu.length; i++) {
        if (recorder?.nearlyFull) checkActivity(await recorder.flush(), passes, gpuNs);
        await timeOneOp(op, recorder, cpu, total, i);
      }
      if (recorder) checkActivity(await recorder.flush(), passes, gpuNs);
      const cpuMedian = median(cpu.subarray(plan.settleOps));
      samples.cpu.push(cpuMedian);
      samples.total.push(median(total.subarray(plan.settleOps)));
      return [cpuMedian];
    },
  };
}

/** Per round: (the difference at many passes - the difference at few) / the extra passes. */
const perPass = (many: readonly number[], few: readonly number[]): number[] =>
  minus(many, few).map((d) => d / (MANY - FEW));

function target(text: string, limit: number, checked: Figure): Target {
  return { text, direction: 'at-most', limit, checked };
}

class Measured {
  /** By kind, then by passes: one sample per block, the blocks of a round at the same index. */
  readonly samples = new Map<string, ArmSamples>();
  /** GPU time of every timed pass of the instrumented arms, ns, by passes. */
  readonly gpuNs = new Map<number, number[]>();

  constructor(readonly kinds: readonly Kind[]) {}

  of(kind: Kind, passes: number): ArmSamples {
    const key = `${kind} ${passes}`;
    let s = this.samples.get(key);
    if (!s) {
      s = { cpu: [], total: [] };
      this.samples.set(key, s);
    }
    return s;
  }

  gpu(passes: number): number[] {
    let g = this.gpuNs.get(passes);
    if (!g) {
      g = [];
      this.gpuNs.set(passes, g);
    }
    return g;
  }

  cpu(kind: Kind, passes: number): number[] {
    return this.of(kind, passes).cpu;
  }

  /** Per round: the CPU time per op of `kind` less that of `base`, ns. */
  added(kind: Kind, base: Kind, passes: number): number[] {
    return minus(this.cpu(kind, passes), this.cpu(base, passes));
  }

  /** Per round: what `kind` adds to each extra pass over `base`, ns. */
  addedPerPass(kind: Kind, base: Kind): number[] {
    return perPass(this.added(kind, base, MANY), this.added(kind, base, FEW));
  }
}

async function measure(ctx: GpuContext, plan: BenchPlan['instrumentation']): Promise<Measured> {
  const kinds: Kind[] = ctx.info.timestamps ? ['bare', 'own', 'instrumented'] : ['bare', 'instrumented'];
  const ops = new Map<string, ModuleOp>();
  // Opening the module installs the patches (installWebGpuGlobals); this puts the originals back.
  const takeOff = instrumentWebGpu(CLASSES);
  try {
    for (const passes of [FEW, MANY]) {
      const args = { passes: String(passes) };
      ops.set(`plain ${passes}`, await openModuleOp(ctx, { file: PASSES_OP, args }));
      if (kinds.includes('own'))
        ops.set(
          `own ${passes}`,
          await openModuleOp(ctx, { file: PASSES_OP, args: { ...args, timestamps: 'own' } }),
        );
    }
    const opFor = (kind: Kind, passes: number): ModuleOp => {
      const op = ops.get(`${kind === 'own' ? 'own' : 'plain'} ${passes}`);
      if (!op) throw new Error('the bench op did not open');
      return op;
    };
    const arms = (into: Measured): Arm[] =>
      [FEW, MANY].flatMap((passes) =>
        kinds.map((kind) =>
          arm(kind, opFor(kind, passes), passes, plan, into.of(kind, passes), into.gpu(passes), takeOff),
        ),
      );
    // Warm-up rounds, not kept: the JIT, the pipelines and the recorder's query sets.
    await interleave(arms(new Measured(kinds)), { rounds: 2, opsPerBlock: plan.opsPerBlock });
    const m = new Measured(kinds);
    await interleave(arms(m), { rounds: plan.rounds, opsPerBlock: plan.opsPerBlock });
    const raised = ctx.errors[0];
    if (raised) throw new Error(`the bench op raised a GPU error: ${raised.kind}: ${raised.message}`);
    return m;
  } finally {
    // The bench's other rows run bare dawn.node: the patches come off, as they were before this row.
    takeOff();
    setDeviceErrorSink(undefined);
    for (const op of ops.values()) {
      await op.dispose();
      op.recorder.dispose();
    }
  }
}

/** Where the added CPU time goes: the timestamp writes themselves, and the rest (wgprof's JS). */
function splitTable(m: Measured): { table: DetailTable; figures: Record<string, unknown> } {
  const own = m.kinds.includes('own');
  const perOp = addedSplit(
    m.added('instrumented', 'bare', FEW),
    own ? m.added('own', 'bare', FEW) : undefined,
    own ? m.added('instrumented', 'own', FEW) : undefined,
  );
  const extraPass = addedSplit(
    m.addedPerPass('instrumented', 'bare'),
    own ? m.addedPerPass('own', 'bare') : undefined,
    own ? m.addedPerPass('instrumented', 'own') : undefined,
  );
  return {
    table: addedSplitTable([
      [`per op (${FEW} pass)`, perOp],
      ['per extra pass', extraPass],
    ]),
    figures: { perOp, perExtraPass: extraPass },
  };
}

function wholeOpTable(m: Measured): { table: DetailTable; figures: Record<string, unknown> } {
  const figures: Record<string, unknown> = {};
  const own = m.kinds.includes('own');
  const rows = [FEW, MANY].map((passes) => {
    const total = (kind: Kind): number[] => m.of(kind, passes).total;
    const added = pairedFigure(minus(total('instrumented'), total('bare')));
    const ownAdded = own ? pairedFigure(minus(total('own'), total('bare'))) : NO_FIGURE;
    const gpu = m.gpu(passes);
    const gpuPass = gpu.length > 0 ? medianFigure(gpu, 'ns') : NO_FIGURE;
    figures[`passes${passes}`] = {
      bare: medianFigure(total('bare'), 'ns'),
      instrumented: medianFigure(total('instrumented'), 'ns'),
      added,
      ownTimestampsAdded: ownAdded,
      gpuPerPass: gpuPass,
      timedPasses: gpu.length,
    };
    return [
      String(passes),
      formatFigure(medianFigure(total('bare'), 'ns')),
      formatFigure(medianFigure(total('instrumented'), 'ns')),
      figureCell(added),
      figureCell(ownAdded),
      formatFigure(gpuPass),
    ];
  });
  return {
    table: {
      title: 'whole op (sync included), bare and instrumented; no target',
      header: [
        'Passes',
        'Bare',
        'Instrumented',
        'Added [95% CI]',
        'Added by the op writing its own timestamps',
        'GPU time per pass (timestamps)',
      ],
      rows,
    },
    figures,
  };
}

/**
 * Row 8: the CPU time wgprof's WebGPU instrumentation (the prototype patches, the recorder and
 * the timestampWrites it gives each pass) adds to an op module's op, on the main thread: per op
 * (one pass) and per extra compute pass. Bare and instrumented blocks alternate in one process,
 * the patches taken off for the bare ones.
 */
export async function instrumentationRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const ctx = await openDevice();
  let m: Measured;
  try {
    m = await measure(ctx, plan.instrumentation);
  } finally {
    ctx.close();
  }
  const opFigure = pairedFigure(m.added('instrumented', 'bare', FEW));
  const passFigure = pairedFigure(m.addedPerPass('instrumented', 'bare'));
  const split = splitTable(m);
  const whole = wholeOpTable(m);
  const { rounds, opsPerBlock, settleOps } = plan.instrumentation;
  const arms = m.kinds.includes('own')
    ? 'bare, the op writing its own timestampWrites (bare too), instrumented'
    : 'bare, instrumented (no timestamp-query here: no pass was timed)';
  const blocks =
    `${rounds} rounds of alternating blocks (${arms}; at ${FEW} and ${MANY} passes), ` +
    `${opsPerBlock} timed ops each after ${settleOps} untimed; a block's sample is its median op, paired with the other blocks of its round`;
  return [
    completedRow({
      id: '8a',
      measure: `instrumentation: CPU time per op (create + dispatch + release, ${FEW} pass), instrumented vs bare`,
      wgprof: medianFigure(m.cpu('instrumented', FEW), 'ns'),
      baseline: medianFigure(m.cpu('bare', FEW), 'ns'),
      ratio: ratioFigure(m.cpu('instrumented', FEW), m.cpu('bare', FEW)),
      target: target('<= 2 us added per op', OP_LIMIT_NS, opFigure),
      note:
        `${blocks}. The op (src/bench/passes-op.ts) makes a 256 B buffer and its bind group, encodes ` +
        `dispatchWorkgroups(1) passes of a one-word kernel, submits once and destroys the buffer. ` +
        `Instrumented: the prototype patches on and the op's OpRecorder begun and active around it, as the runner does ` +
        `(each pass given timestampWrites on the recorder's query set), flushed after each block outside the timing; ` +
        `bare: the original methods put back (instrumentWebGpu's restore), no recorder. ` +
        `The CPU time includes the submit, where the driver records the passes and their timestamp writes; ` +
        `the tables below split the added time and give the whole op's, sync included (no target).`,
      details: {
        rounds,
        opsPerBlock,
        settleOps,
        kinds: m.kinds,
        added: opFigure,
        split: split.figures,
        wholeOp: whole.figures,
        blocks: Object.fromEntries(m.samples),
      },
      tables: [split.table, whole.table],
    }),
    completedRow({
      id: '8b',
      measure: `instrumentation: CPU time per extra compute pass ((${MANY} passes - ${FEW}) / ${MANY - FEW}), instrumented vs bare`,
      wgprof: pairedFigure(perPass(m.cpu('instrumented', MANY), m.cpu('instrumented', FEW))),
      baseline: pairedFigure(perPass(m.cpu('bare', MANY), m.cpu('bare', FEW))),
      target: target('<= 1 us added per pass', PASS_LIMIT_NS, passFigure),
      note:
        `The same rounds as 8a: per round, (added at ${MANY} passes - added at ${FEW}) / ${MANY - FEW}; ` +
        `wgprof and baseline are each arm's own time per extra pass (a pass: beginComputePass, setPipeline, ` +
        `setBindGroup, dispatchWorkgroups, end; and its share of finish and submit). Split in 8a's first table.`,
      details: { added: passFigure, split: split.figures },
    }),
  ];
}
