import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globals } from 'webgpu';
import { openDevice, type GpuContext } from '../../device/open-device.js';
import { BufferUsage } from '../../device/webgpu-globals.js';
import {
  instrumentWebGpu,
  setActiveRecorder,
  setCatchUncapturedErrors,
  type WebGpuClasses,
} from '../../instrument/webgpu-instrumentation.js';
import { median } from '../../statistics/index.js';
import { EventLog } from '../../trace/event-log.js';
import { TraceRecorder } from '../../trace/trace-recorder.js';
import {
  addedSplit,
  addedSplitTable,
  figureCell,
  minus,
  NO_FIGURE,
  pairedFigure,
  perEach,
  type AddedSplit,
} from '../added-split.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, DetailTable } from '../bench-types.js';
import { medianFigure } from '../figures.js';
import { interleave, type Arm } from '../interleave.js';
import { formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

const CLASSES = globals as unknown as WebGpuClasses;

/**
 * The WebGPU calls of one op of the loop, in order. All but setBindGroup and end are patched;
 * the cost per call is over all of them, as a program makes them.
 */
const CALLS = [
  'createBuffer',
  'writeBuffer',
  'createCommandEncoder',
  'beginComputePass',
  'setPipeline',
  'setBindGroup',
  'dispatchWorkgroups',
  'end',
  'finish',
  'submit',
  'onSubmittedWorkDone',
  'destroy',
] as const;
const PER_CALL_LIMIT_NS = 1000;

const KERNEL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1) fn main() { out[0] = out[0] + 1u; }
`;

const now = (): number => Number(process.hrtime.bigint());

/** What the loop's ops share: a one-word kernel's pipeline and bind group, and the data uploaded. */
interface LoopGpu {
  readonly device: GPUDevice;
  readonly pipeline: GPUComputePipeline;
  readonly group: GPUBindGroup;
  readonly data: Float32Array;
  /** For the own-timestamps arm: a pass writing timestampWrites of its own (never read back). */
  readonly writes: GPUComputePassTimestampWrites | undefined;
}

function prepare(ctx: GpuContext): LoopGpu {
  const { device } = ctx;
  const module = device.createShaderModule({ code: KERNEL });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module } });
  const out = device.createBuffer({ size: 256, usage: BufferUsage.STORAGE });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: out } }],
  });
  const writes = ctx.info.timestamps
    ? {
        querySet: device.createQuerySet({ type: 'timestamp', count: 2 }),
        beginningOfPassWriteIndex: 0,
        endOfPassWriteIndex: 1,
      }
    : undefined;
  return { device, pipeline, group, data: new Float32Array(64), writes };
}

/**
 * One op of the loop: a buffer made and uploaded to, one compute pass of one dispatch, submit,
 * wait, the buffer destroyed (CALLS, in that order). Writes its CPU time (every call, the wait's
 * own call included, but not the time awaiting it) and its whole time at `i`.
 */
async function oneOp(
  gpu: LoopGpu,
  own: boolean,
  cpu: Float64Array,
  total: Float64Array,
  i: number,
): Promise<void> {
  const { device, writes } = gpu;
  const start = now();
  const buffer = device.createBuffer({ size: 256, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, gpu.data);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(own && writes ? { timestampWrites: writes } : undefined);
  pass.setPipeline(gpu.pipeline);
  pass.setBindGroup(0, gpu.group);
  pass.dispatchWorkgroups(1);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const done = device.queue.onSubmittedWorkDone();
  const called = now();
  await done;
  const waited = now();
  buffer.destroy();
  const end = now();
  cpu[i] = called - start + (end - waited);
  total[i] = end - start;
}

/**
 * The arms: bare (the prototypes' own methods, no recorder); the loop writing timestampWrites
 * of its own, bare too (what the driver's timestamp writes cost without wgprof); and traced (the
 * patches on and a TraceRecorder active, as the trace's preload installs them in a program).
 */
type Kind = 'bare' | 'own' | 'traced';

interface ArmSamples {
  /** Per block: the median over its timed ops, ns (the traced arm's log writing included). */
  readonly cpu: number[];
  /** Per block: the mean over its timed ops, ns: the ops a garbage collection fell in count too. */
  readonly cpuMean: number[];
  readonly total: number[];
  /** Per block, traced arm: writing its log (as the preload's 100 ms flushes do), ns per op. */
  readonly flush: number[];
}

/** The trace preload's setup, in this process: the patches and a recorder logging to a file. */
interface Traced {
  readonly recorder: TraceRecorder;
  readonly log: EventLog;
  readonly takeOff: () => void;
}

/**
 * One arm's blocks. Each block puts the patches on (traced) or takes them off (the others)
 * first, as rows/instrumentation.ts does for op modules, and leaves its first `settle` ops out.
 * The traced block ends by writing its log, timed and shared out over its ops.
 */
function arm(
  kind: Kind,
  gpu: LoopGpu,
  traced: Traced,
  plan: BenchPlan['traceCalls'],
  samples: ArmSamples,
): Arm {
  const cpu = new Float64Array(plan.settleOps + plan.opsPerBlock);
  const total = new Float64Array(cpu.length);
  return {
    name: kind,
    runBlock: async () => {
      if (kind === 'traced') {
        instrumentWebGpu(CLASSES);
        setActiveRecorder(traced.recorder);
      } else {
        setActiveRecorder(undefined);
        traced.takeOff();
      }
      for (let i = 0; i < cpu.length; i++) await oneOp(gpu, kind === 'own', cpu, total, i);
      let flushNs = 0;
      if (kind === 'traced') {
        const start = now();
        traced.log.flush();
        flushNs = (now() - start) / cpu.length;
      }
      const timed = cpu.subarray(plan.settleOps);
      const cpuMedian = median(timed) + flushNs;
      samples.cpu.push(cpuMedian);
      samples.cpuMean.push(timed.reduce((a, b) => a + b, 0) / timed.length + flushNs);
      samples.total.push(median(total.subarray(plan.settleOps)) + flushNs);
      samples.flush.push(flushNs);
      return [cpuMedian];
    },
  };
}

async function measure(
  ctx: GpuContext,
  plan: BenchPlan['traceCalls'],
  dir: string,
): Promise<Map<Kind, ArmSamples>> {
  const kinds: Kind[] = ctx.info.timestamps ? ['bare', 'own', 'traced'] : ['bare', 'traced'];
  const gpu = prepare(ctx);
  const log = new EventLog(join(dir, `${process.pid}-0.jsonl`));
  // Every pass timed, as the row has measured since it was written: its 'traced' arm is the
  // trace at its costliest (--gpu-time every), not the default sample.
  const recorder = new TraceRecorder(log, { mode: 'every', oneIn: 1 });
  // As the preload: the program's own uncaptured errors are left to it.
  setCatchUncapturedErrors(false);
  const traced: Traced = { recorder, log, takeOff: instrumentWebGpu(CLASSES) };
  const arms = (into: Map<Kind, ArmSamples>): Arm[] =>
    kinds.map((kind) => {
      const samples: ArmSamples = { cpu: [], cpuMean: [], total: [], flush: [] };
      into.set(kind, samples);
      return arm(kind, gpu, traced, plan, samples);
    });
  try {
    // Warm-up rounds, not kept: the JIT, the recorder's query set and read-back buffers.
    await interleave(arms(new Map()), { rounds: 2, opsPerBlock: plan.opsPerBlock });
    const measured = new Map<Kind, ArmSamples>();
    await interleave(arms(measured), { rounds: plan.rounds, opsPerBlock: plan.opsPerBlock });
    const raised = ctx.errors[0];
    if (raised) throw new Error(`the loop raised a GPU error: ${raised.kind}: ${raised.message}`);
    return measured;
  } finally {
    // Its last read-back lands before the device goes; the bench's other rows run bare dawn.node.
    instrumentWebGpu(CLASSES);
    setActiveRecorder(recorder);
    await recorder.beforeDestroy(ctx.device);
    setActiveRecorder(undefined);
    traced.takeOff();
    setCatchUncapturedErrors(true);
    gpu.writes?.querySet.destroy();
  }
}

/**
 * 10c: what `wgprof trace`'s preload costs per WebGPU call, measured inside one process, where a
 * difference of whole program runs (10a/10b) cannot resolve a microsecond. A loop of the calls a
 * program makes for a small op runs in alternating blocks, bare and with the trace's patches and
 * recorder on, in the same process and on the same device; the per-call cost is the paired
 * difference of the blocks' CPU time per op over the calls in an op.
 */
export async function traceCallsRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const ctx = await openDevice();
  const dir = mkdtempSync(join(tmpdir(), 'wgprof-bench-trace-calls-'));
  let m: Map<Kind, ArmSamples>;
  try {
    m = await measure(ctx, plan.traceCalls, dir);
  } finally {
    ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const of = (kind: Kind): ArmSamples => m.get(kind) ?? { cpu: [], cpuMean: [], total: [], flush: [] };
  const own = m.has('own');
  const calls = CALLS.length;
  const perOp = addedSplit(
    minus(of('traced').cpu, of('bare').cpu),
    own ? minus(of('own').cpu, of('bare').cpu) : undefined,
    own ? minus(of('traced').cpu, of('own').cpu) : undefined,
  );
  const perCall = perEachSplit(perOp, calls);
  // The mean op: a collection of the recorder's garbage falls in some ops, which the median leaves out.
  const perCallMean = perEachSplit(
    addedSplit(
      minus(of('traced').cpuMean, of('bare').cpuMean),
      own ? minus(of('own').cpuMean, of('bare').cpuMean) : undefined,
      own ? minus(of('traced').cpuMean, of('own').cpuMean) : undefined,
    ),
    calls,
  );
  const whole = wholeOpTable(m);
  const { rounds, opsPerBlock, settleOps } = plan.traceCalls;
  const arms = own
    ? 'bare, the loop writing its own timestampWrites (bare too), traced'
    : 'bare, traced (no timestamp-query here: no pass was timed)';
  return [
    completedRow({
      id: '10c',
      measure: "trace: CPU time per WebGPU call added by wgprof trace's patches and recorder, in one process",
      wgprof: perEach(medianFigure(of('traced').cpuMean, 'ns'), calls),
      baseline: perEach(medianFigure(of('bare').cpuMean, 'ns'), calls),
      target: {
        text: '<= 1 us added per call',
        direction: 'at-most',
        limit: PER_CALL_LIMIT_NS,
        checked: perCallMean.added,
      },
      note:
        `${rounds} rounds of alternating blocks (${arms}), ${opsPerBlock} timed ops each after ${settleOps} untimed; ` +
        `an op is ${calls} calls (${CALLS.join(', ')}), all but setBindGroup and end patched, on a 256 B buffer and a ` +
        `one-word kernel. Traced: the patches on and a TraceRecorder active, logging to a file, as the trace's preload ` +
        `installs them (each pass given timestampWrites, read back beside the wait); bare: the original methods put back ` +
        `(instrumentWebGpu's restore, as rows 8a/8b). CPU time: the calls, the wait's own call included but not the time ` +
        `awaiting it, plus (traced) writing the log at the block's end, shared over its ops. Per call: a block's mean ` +
        `op (garbage collections included: the recorder's allocations cause some), paired with the other arms' blocks ` +
        `of its round, the difference over the ${calls} calls; the table gives the median op's too. ` +
        `wgprof and baseline are each arm's own CPU time per call (mean op).`,
      details: {
        rounds,
        opsPerBlock,
        settleOps,
        calls: CALLS,
        kinds: [...m.keys()],
        perOp,
        perCall,
        perCallMean,
        logWritingPerOp: medianFigure(of('traced').flush, 'ns'),
        wholeOp: whole.figures,
        blocks: Object.fromEntries(m),
      },
      tables: [
        addedSplitTable([
          [`per op (${calls} calls), median op`, perOp],
          ['per call, median op', perCall],
          ['per call, mean op (the target)', perCallMean],
        ]),
        whole.table,
      ],
    }),
  ];
}

/** Each figure of the split divided by `n`: per op to per call. */
function perEachSplit(split: AddedSplit, n: number): AddedSplit {
  return {
    added: perEach(split.added, n),
    timestampWrites: perEach(split.timestampWrites, n),
    wgprof: perEach(split.wgprof, n),
  };
}

/** The whole op, the wait included: what the read-backs and timestamps add to the GPU's side too. */
function wholeOpTable(m: Map<Kind, ArmSamples>): { table: DetailTable; figures: Record<string, unknown> } {
  const total = (kind: Kind): number[] => m.get(kind)?.total ?? [];
  const added = pairedFigure(minus(total('traced'), total('bare')));
  const ownAdded = m.has('own') ? pairedFigure(minus(total('own'), total('bare'))) : NO_FIGURE;
  const figures = {
    bare: medianFigure(total('bare'), 'ns'),
    traced: medianFigure(total('traced'), 'ns'),
    added,
    ownTimestampsAdded: ownAdded,
  };
  return {
    table: {
      title: 'whole op (the wait included), bare and traced; no target',
      header: ['Bare', 'Traced', 'Added [95% CI]', 'Added by the loop writing its own timestamps'],
      rows: [
        [formatFigure(figures.bare), formatFigure(figures.traced), figureCell(added), figureCell(ownAdded)],
      ],
    },
    figures,
  };
}
