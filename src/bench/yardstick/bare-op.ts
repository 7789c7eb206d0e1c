#!/usr/bin/env node
/**
 * The bench's yardstick: the op wgprof's built-in `scale` kernel runs (y = 2 * x + 1 over --size
 * f32 elements, buffers made with createBuffer and filled with queue.writeBuffer), timed the way
 * a user of dawn.node would time it without wgprof. It imports only `webgpu` and Node's own
 * modules, and nothing of wgprof, so that wgprof's own op code cannot shape the figure it is
 * checked against (test/bench-yardstick.test.ts keeps it so).
 *
 *   node dist/bench/yardstick/bare-op.js --strategy main|fresh|persistent --size N --ops N --warmup N
 *     [--block N] [--first untimed|timed]
 *
 * prints one JSON line: the median of each phase in ns, the op count, the split into untimed and
 * timed ops with the program's own cost of timing, and the environment.
 *
 * One op: creation (three createBuffer and two writeBuffer), kernel CPU (bind group, encoder,
 * one compute pass, submit), sync (await onSubmittedWorkDone), then the buffers destroyed; the
 * total runs from the first createBuffer to after the last destroy. A timed op's pass also writes
 * begin/end timestamps (read back after the counted ops); an untimed op's writes none, as a
 * user's loop without a profiler. The counted ops alternate in blocks of --block ops (default 25,
 * at most half of --ops), untimed first or timed first by --first (blocks.ts says why): the CPU
 * phases and total (`medianNs`) are the untimed ops' medians, the GPU time the timed ops' passes',
 * `timedMedianNs` the timed ops' phases, and `timing.costNs` timed total minus untimed total.
 *
 * - main: the ops on this thread, on a device opened once.
 * - fresh: per op, a new Worker (this file) opens its own adapter and device, compiles, runs
 *   one op, reads its GPU time, destroys the device and ends; the op's total runs from
 *   `new Worker` to the worker's `exit` event, its phases are the worker's own.
 * - persistent: one Worker opens its device once and runs every op in a loop; totals are the
 *   op's own, as on main.
 *
 * Before the counted ops: the first op (a new device's and pipeline's cold op, untimed) and --warmup
 * ops, untimed and timed alternating one by one, not counted; for fresh, --warmup workers, not
 * counted. Fresh splits its workers into the same blocks: a timed worker's one op is timed.
 */
import { once } from 'node:events';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { create, globals } from 'webgpu';
import {
  blockLength,
  DEFAULT_BLOCK,
  FIRST_BLOCKS,
  isTimedInBlocks,
  isTimedWarmup,
  median,
  splitMedians,
  type FirstBlock,
  type OpTimes,
} from './blocks.js';

Object.assign(globalThis, globals);

const SHADER = /* wgsl */ `
struct Params {
  n: u32,
  a: f32,
  b: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wg: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) local: u32,
) {
  let i = (wg.y * groups.x + wg.x) * 256u + local;
  if (i >= params.n) {
    return;
  }
  y[i] = params.a * x[i] + params.b;
}
`;

const STRATEGIES = ['main', 'fresh', 'persistent'] as const;
type Strategy = (typeof STRATEGIES)[number];

/** What a thread that ran ops knows about where it ran them. */
interface Where {
  adapter: string;
  backend: string;
  timestamps: boolean;
}

/**
 * A worker's answer: the ops it counted, whether each was timed, the timed ones' GPU times (NaN
 * without timestamps), and where.
 */
interface WorkerAnswer {
  ops: OpTimes[];
  timed: boolean[];
  gpuNs: number[];
  where: Where;
  /** A fresh worker's clock readings: its module body began, its op began and ended. */
  life?: { startedAt: bigint; opStartAt: bigint; opEndAt: bigint };
}

/** Where a fresh worker's total went, ns: before its code ran, before its op, after its op. */
interface FreshSplit {
  spawn: number;
  init: number;
  teardown: number;
}

interface WorkerJob {
  strategy: 'fresh' | 'persistent';
  size: number;
  ops: number;
  warmup: number;
  backend: string;
  /** The counted ops' blocks (persistent). */
  block: number;
  first: FirstBlock;
  /** A fresh worker's one op: whether it is timed. */
  timed?: boolean;
}

const now = (): bigint => process.hrtime.bigint();
const since = (t: bigint): number => Number(now() - t);
/** In a worker: when its module body began, after its imports (webgpu among them) had loaded. */
const startedAt = now();

function nativeBackend(): string {
  if (process.platform === 'darwin') return 'metal';
  if (process.platform === 'win32') return 'd3d12';
  return 'vulkan';
}

/** Timestamp pairs that fit one query set (4,096 queries at most). */
const MAX_TIMED_OPS = 2048;

/** A device with the scale kernel compiled, its input data made, and a query set for GPU times. */
class ScaleOp {
  readonly where: Where;
  private readonly pipeline: GPUComputePipeline;
  private readonly input: Float32Array;
  private readonly params = new ArrayBuffer(16);
  private readonly workgroups: [number, number];
  private readonly querySet: GPUQuerySet | undefined;
  private readonly resolveBuffer: GPUBuffer | undefined;
  private readonly readBuffer: GPUBuffer | undefined;
  private slotsUsed = 0;
  private readonly gpuNs: number[] = [];
  /** The last op's start and end on the process-wide clock. */
  lastStart = 0n;
  lastEnd = 0n;
  private firstError: string | undefined;

  private constructor(
    // Kept referenced while the device lives: dawn.node crashes if it is collected before.
    private readonly gpu: GPU,
    private readonly device: GPUDevice,
    adapter: GPUAdapter,
    backend: string,
    private readonly size: number,
  ) {
    const timestamps = device.features.has('timestamp-query');
    this.where = { adapter: adapter.info.description, backend, timestamps };
    // Without a listener Dawn prints GPU errors on stdout, where this program's JSON goes.
    device.addEventListener('uncapturederror', (event) => {
      event.preventDefault();
      this.firstError ??= event.error.message;
    });
    const module = device.createShaderModule({ code: SHADER });
    this.pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });

    this.input = new Float32Array(size);
    for (let i = 0; i < size; i++) this.input[i] = Math.random() * 2 - 1;
    const view = new DataView(this.params);
    view.setUint32(0, size, true);
    view.setFloat32(4, 2, true);
    view.setFloat32(8, 1, true);

    // One invocation per element, 256 to a workgroup; past 65,535 workgroups the rest go in y.
    const groups = Math.ceil(size / 256);
    const most = device.limits.maxComputeWorkgroupsPerDimension;
    const rows = Math.ceil(groups / most);
    this.workgroups = [Math.ceil(groups / rows), rows];

    if (timestamps) {
      this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 * MAX_TIMED_OPS });
      this.resolveBuffer = device.createBuffer({
        size: 16 * MAX_TIMED_OPS,
        usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
      });
      this.readBuffer = device.createBuffer({
        size: 16 * MAX_TIMED_OPS,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    }
  }

  static async open(backend: string, size: number): Promise<ScaleOp> {
    const gpu = create([`backend=${backend}`, 'disable-dawn-features=timestamp_quantization']);
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error(`no WebGPU adapter on backend ${backend}`);
    const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query')
      ? ['timestamp-query']
      : [];
    const device = await adapter.requestDevice({ requiredFeatures });
    return new ScaleOp(gpu, device, adapter, backend, size);
  }

  /** One op; with `timed`, its pass writes timestamps, read back later by `gpuTimes()`. */
  async run(timed: boolean): Promise<OpTimes> {
    if (timed && this.slotsUsed === MAX_TIMED_OPS) await this.readTimestamps();
    const { device } = this;
    const start = now();

    const x = device.createBuffer({
      size: this.size * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    const y = device.createBuffer({
      size: this.size * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(x, 0, this.input);
    device.queue.writeBuffer(params, 0, this.params);
    const created = now();

    const bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: x } },
        { binding: 1, resource: { buffer: y } },
        { binding: 2, resource: { buffer: params } },
      ],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass(
      timed && this.querySet
        ? {
            timestampWrites: {
              querySet: this.querySet,
              beginningOfPassWriteIndex: 2 * this.slotsUsed,
              endOfPassWriteIndex: 2 * this.slotsUsed + 1,
            },
          }
        : {},
    );
    if (timed && this.querySet) this.slotsUsed++;
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(this.workgroups[0], this.workgroups[1]);
    pass.end();
    device.queue.submit([encoder.finish()]);
    const submitted = now();

    await device.queue.onSubmittedWorkDone();
    const synced = now();

    x.destroy();
    y.destroy();
    params.destroy();
    const end = now();
    this.lastStart = start;
    this.lastEnd = end;
    if (this.firstError !== undefined) throw new Error(`GPU error: ${this.firstError}`);
    return {
      creation: Number(created - start),
      kernelCpu: Number(submitted - created),
      sync: Number(synced - submitted),
      total: Number(end - start),
    };
  }

  /** Resolves the timestamps written since the last read and keeps their durations. */
  private async readTimestamps(): Promise<void> {
    const count = this.slotsUsed;
    this.slotsUsed = 0;
    if (!this.querySet || !this.resolveBuffer || !this.readBuffer || count === 0) return;
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, 2 * count, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, this.readBuffer, 0, 16 * count);
    this.device.queue.submit([encoder.finish()]);
    await this.readBuffer.mapAsync(GPUMapMode.READ, 0, 16 * count);
    const stamps = new BigUint64Array(this.readBuffer.getMappedRange(0, 16 * count).slice(0));
    this.readBuffer.unmap();
    for (let i = 0; i < count; i++) {
      const begin = stamps[2 * i] ?? 0n;
      const end = stamps[2 * i + 1] ?? 0n;
      this.gpuNs.push(begin > 0n && end > begin ? Number(end - begin) : Number.NaN);
    }
  }

  /** The GPU time of every timed op so far, in order (NaN where there is none). */
  async gpuTimes(): Promise<number[]> {
    await this.readTimestamps();
    return this.gpuNs.slice();
  }

  /** Reads back and drops the GPU times so far: the warm-up's, which are not counted. */
  async dropGpuTimes(): Promise<void> {
    await this.readTimestamps();
    this.gpuNs.length = 0;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuffer?.destroy();
    this.readBuffer?.destroy();
    this.device.destroy();
  }
}

/**
 * The cold op and the warm-up, uncounted, then `ops` counted ops in blocks, with the timed ones'
 * GPU times.
 */
async function runOps(
  op: ScaleOp,
  job: Pick<WorkerJob, 'ops' | 'warmup' | 'block' | 'first'>,
): Promise<WorkerAnswer> {
  await op.run(false);
  for (let i = 0; i < job.warmup; i++) await op.run(isTimedWarmup(i));
  await op.dropGpuTimes();
  const times: OpTimes[] = [];
  const timed: boolean[] = [];
  for (let k = 0; k < job.ops; k++) {
    const t = isTimedInBlocks(k, job.block, job.first);
    timed.push(t);
    times.push(await op.run(t));
  }
  return { ops: times, timed, gpuNs: await op.gpuTimes(), where: op.where };
}

async function workerMain(job: WorkerJob, port: NonNullable<typeof parentPort>): Promise<void> {
  const op = await ScaleOp.open(job.backend, job.size);
  try {
    if (job.strategy === 'fresh') {
      // Every op of a fresh worker is its first: there is nothing to warm up.
      const timed = job.timed ?? false;
      const times = await op.run(timed);
      const life = { startedAt, opStartAt: op.lastStart, opEndAt: op.lastEnd };
      port.postMessage({
        ops: [times],
        timed: [timed],
        gpuNs: await op.gpuTimes(),
        where: op.where,
        life,
      } satisfies WorkerAnswer);
    } else {
      port.postMessage(await runOps(op, job));
    }
  } finally {
    // Nothing left pending: the thread ends by itself once this returns.
    op.destroy();
  }
}

/** Runs a worker on this file to its exit; returns its answer and when it exited. */
async function runWorker(job: WorkerJob): Promise<{ answer: WorkerAnswer; exitedAt: bigint }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  let answer: WorkerAnswer | undefined;
  let failure: Error | undefined;
  worker.on('message', (message: WorkerAnswer) => {
    answer = message;
  });
  worker.on('error', (error: Error) => {
    failure = error;
  });
  const [code] = (await once(worker, 'exit')) as [number];
  const exitedAt = now();
  if (failure) throw failure;
  if (!answer) throw new Error(`the worker exited with code ${code} without an answer`);
  return { answer, exitedAt };
}

/** Fresh: a worker per op, in blocks of timed and untimed workers; the total runs from `new Worker` to its exit. */
async function runFresh(job: WorkerJob): Promise<WorkerAnswer & { splits: FreshSplit[] }> {
  for (let i = 0; i < job.warmup; i++) await runWorker({ ...job, timed: isTimedWarmup(i) });
  const ops: OpTimes[] = [];
  const timed: boolean[] = [];
  const gpuNs: number[] = [];
  const splits: FreshSplit[] = [];
  let where: Where | undefined;
  for (let k = 0; k < job.ops; k++) {
    const t = isTimedInBlocks(k, job.block, job.first);
    timed.push(t);
    const constructed = now();
    const { answer, exitedAt } = await runWorker({ ...job, timed: t });
    const [inWorker] = answer.ops;
    if (!inWorker || !answer.life) throw new Error('a fresh worker answered without its op');
    ops.push({ ...inWorker, total: Number(exitedAt - constructed) });
    const { life } = answer;
    splits.push({
      spawn: Number(life.startedAt - constructed),
      init: Number(life.opStartAt - life.startedAt),
      teardown: Number(exitedAt - life.opEndAt),
    });
    gpuNs.push(...answer.gpuNs);
    where = answer.where;
  }
  if (!where) throw new Error('no op was run');
  return { ops, timed, gpuNs, where, splits };
}

function parseCount(text: string, name: string, least: number): number {
  const match = /^(\d+)([kKmM]?)$/.exec(text.trim());
  const value = match
    ? Number(match[1]) * ({ k: 1024, m: 1024 * 1024 }[match[2]?.toLowerCase() ?? ''] ?? 1)
    : NaN;
  if (!Number.isSafeInteger(value) || value < least)
    throw new Error(`--${name} takes a whole number >= ${least}`);
  return value;
}

const USAGE =
  'usage: node bare-op.js --strategy main|fresh|persistent --size N --ops N --warmup N ' +
  '[--block N] [--first untimed|timed] [--backend NAME]\n';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      strategy: { type: 'string', default: 'main' },
      size: { type: 'string', default: '1024' },
      ops: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '20' },
      block: { type: 'string', default: String(DEFAULT_BLOCK) },
      first: { type: 'string', default: 'untimed' },
      backend: { type: 'string', default: nativeBackend() },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const strategy = values.strategy as Strategy;
  if (!STRATEGIES.includes(strategy)) throw new Error(`--strategy takes ${STRATEGIES.join(', ')}`);
  const size = parseCount(values.size, 'size', 1);
  const ops = parseCount(values.ops, 'ops', 1);
  const warmup = parseCount(values.warmup, 'warmup', 0);
  const block = blockLength(ops, parseCount(values.block, 'block', 1));
  const first = values.first as FirstBlock;
  if (!FIRST_BLOCKS.includes(first)) throw new Error(`--first takes ${FIRST_BLOCKS.join(', ')}`);
  const backend = values.backend;

  const started = now();
  let answer: WorkerAnswer;
  let splits: FreshSplit[] | undefined;
  if (strategy === 'main') {
    const op = await ScaleOp.open(backend, size);
    try {
      answer = await runOps(op, { ops, warmup, block, first });
    } finally {
      op.destroy();
    }
  } else if (strategy === 'fresh') {
    ({ splits, ...answer } = await runFresh({ strategy, size, ops, warmup, backend, block, first }));
  } else {
    answer = (await runWorker({ strategy, size, ops, warmup, backend, block, first })).answer;
  }
  // Without timestamp-query no pass wrote timestamps: every op counts as untimed, and there is no cost.
  const timed = answer.where.timestamps ? answer.timed : answer.timed.map(() => false);
  const split = splitMedians(answer.ops, timed);
  const untimedSplits = splits?.filter((_, k) => timed[k] === false);
  const report = {
    program: 'bare-op',
    strategy,
    kernel: 'scale',
    dtype: 'f32',
    size,
    warmup,
    ops: answer.ops.length,
    // The CPU phases and total of the untimed ops, as a user's loop runs them; the GPU time of
    // the timed ops' passes.
    medianNs: {
      creation: split.untimed.creation,
      kernelCpu: split.untimed.kernelCpu,
      kernelGpu: median(answer.gpuNs),
      sync: split.untimed.sync,
      total: split.untimed.total,
    },
    timedMedianNs: split.timed,
    timing: {
      block,
      first,
      untimedOps: split.untimedOps,
      timedOps: split.timedOps,
      costNs: split.costNs,
    },
    // A fresh untimed op's total beyond its phases: spawn (new Worker until the worker's code
    // runs, loading webgpu included), init (adapter, device, compiling), teardown (the device
    // destroyed, the thread's exit).
    ...(untimedSplits
      ? {
          freshNs: {
            spawn: median(untimedSplits.map((s) => s.spawn)),
            init: median(untimedSplits.map((s) => s.init)),
            teardown: median(untimedSplits.map((s) => s.teardown)),
          },
        }
      : {}),
    elapsedNs: since(started),
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      ...(process.env.MALLOC_ARENA_MAX === undefined ? {} : { mallocArenaMax: process.env.MALLOC_ARENA_MAX }),
      ...(process.env.LP_NUM_THREADS === undefined ? {} : { lpNumThreads: process.env.LP_NUM_THREADS }),
      ...answer.where,
    },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (isMainThread) {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`bare-op: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 1;
  }
} else if (parentPort) {
  await workerMain(workerData as WorkerJob, parentPort);
}
