import { fileURLToPath } from 'node:url';
import { adapterLine, isSoftwareGpu } from '../../device/device-info.js';
import { messageOf } from '../../errors.js';
import { sizeLabel } from '../../peak/peak-plan.js';
import type { PeakLimit } from '../../peak/peak-types.js';
import { formatShare } from '../../reports/rates.js';
import type { PeakResult, StrategyResult } from '../../results/result-types.js';
import { withRates } from '../../results/with-rates.js';
import { measurePeak } from '../../runner/measure-peak.js';
import type { Rate } from '../../work/op-rates.js';
import { peakReference, type PeakReference } from '../../work/peak-reference.js';
import type { CpuCopyOutput } from '../baselines/cpu-copy.js';
import type { BenchPlan } from '../bench-plan.js';
import type { BenchRow, DetailTable, Figure } from '../bench-types.js';
import { medianFigure } from '../figures.js';
import { copyRates, highestLowShare, intervalRatio, kernelShares, type KernelShare } from '../peak-check.js';
import { mainOnlyArgs, PROFILE_FLAGS, profileJson, runNode } from '../profile-json.js';
import { formatCi, formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

/** The independent copy program, built beside this folder (dist/bench/baselines/cpu-copy.js). */
const CPU_COPY = fileURLToPath(new URL('../baselines/cpu-copy.js', import.meta.url));

const rateFigure = (r: Rate, unit: 'B/s' | 'FLOP/s'): Figure => ({ ...r, unit });
const withCi = (f: Figure): string => `${formatFigure(f)} ${formatCi(f)}`;
const shareWithCi = (s: Rate | undefined): string =>
  s ? `${formatShare(s.value)} [${formatShare(s.low)}, ${formatShare(s.high)}]` : '-';

/** The CPU copies' rates, each kind's median and 95% CI, B/s (read + written). */
interface CpuCopies {
  readonly bytes: number;
  readonly copies: number;
  readonly bufferCopy: Figure;
  readonly typedArraySet: Figure;
  /** The faster of the two by median: what a plain copy of this memory reaches. */
  readonly best: { readonly name: 'Buffer.copy' | 'TypedArray.prototype.set'; readonly figure: Figure };
}

async function cpuCopies(bytes: number, plan: BenchPlan['peak']): Promise<CpuCopies> {
  const args = [CPU_COPY, '--bytes', String(bytes), '--copies', String(plan.copies)];
  const { stdout } = await runNode(
    [...args, '--warmup', String(plan.copyWarmup)],
    'the CPU copy (dist/bench/baselines/cpu-copy.js)',
  );
  const out = JSON.parse(stdout) as CpuCopyOutput;
  const bufferCopy = medianFigure(copyRates(out.bytes, out.bufferCopyNs), 'B/s');
  const typedArraySet = medianFigure(copyRates(out.bytes, out.typedArraySetNs), 'B/s');
  const best =
    bufferCopy.value >= typedArraySet.value
      ? { name: 'Buffer.copy' as const, figure: bufferCopy }
      : { name: 'TypedArray.prototype.set' as const, figure: typedArraySet };
  return { bytes: out.bytes, copies: plan.copies, bufferCopy, typedArraySet, best };
}

function sweepTable(peak: PeakResult, cpu: CpuCopies): DetailTable {
  const device = (
    kind: string,
    p: { bytes: number; value: number; low: number; high: number },
    samples?: number,
  ) => [
    kind,
    sizeLabel(p.bytes),
    withCi(rateFigure(p, 'B/s')),
    samples === undefined ? '-' : String(samples),
  ];
  const rows = [
    ...peak.sweeps.copy.map((p) => device('wgprof peak: copyBufferToBuffer', p, p.samples)),
    ...peak.sweeps.stream.map((p) => device('wgprof peak: stream kernel', p, p.samples)),
    ['CPU: Buffer.copy', sizeLabel(cpu.bytes), withCi(cpu.bufferCopy), String(cpu.copies)],
    ['CPU: TypedArray.prototype.set', sizeLabel(cpu.bytes), withCi(cpu.typedArraySet), String(cpu.copies)],
  ];
  return {
    title:
      "wgprof peak's bandwidth sweeps and the CPU copies of the largest copy's size: bytes read + written per second, median and 95% CI",
    header: ['copy', 'buffer', 'rate (95% CI)', 'samples'],
    rows,
  };
}

/** 14a: peak's copy bandwidth at its largest size against plain CPU copies of that size. */
async function copyRow(peak: PeakResult, plan: BenchPlan['peak']): Promise<BenchRow> {
  const measure =
    "peak: wgprof peak's copy bandwidth at its largest buffer against plain CPU copies of that size (Buffer.copy, TypedArray.set)";
  const copy: PeakLimit = peak.limits.copyBandwidth;
  if (copy.atBytes === undefined || copy.samples === 0)
    return { state: 'errored', id: '14a', measure, error: 'wgprof peak measured no copy size' };
  let cpu: CpuCopies;
  try {
    cpu = await cpuCopies(copy.atBytes, plan);
  } catch (error) {
    return { state: 'errored', id: '14a', measure, error: messageOf(error) };
  }
  const peakFigure = rateFigure(copy, 'B/s');
  const independent = cpu.best.figure;
  const ratio = intervalRatio(copy, {
    value: independent.value,
    low: independent.low ?? independent.value,
    high: independent.high ?? independent.value,
  });
  const adapter = adapterLine(peak.device);
  const software = isSoftwareGpu(peak.device);
  const why = peak.device.isFallbackAdapter ? 'a fallback adapter' : 'its name says so';
  const sameMemory = software
    ? `Here the adapter (${adapter}) is a software GPU (${why}): its buffers are the CPU's memory and its copyBufferToBuffer a memcpy on one of its threads, so the two measure the same memory.`
    : `Here the adapter (${adapter}) is not a software GPU: its memory is not the CPU's, and the ratio compares two different memories (it checks nothing).`;
  const quick = plan.quickPeak
    ? ` --quick: a quick peak, whose largest buffer (${sizeLabel(copy.atBytes)}) may fit the caches; the figures mean little.`
    : '';
  return completedRow({
    id: '14a',
    measure,
    wgprof: peakFigure,
    baseline: independent,
    ratio,
    note:
      `wgprof peak (measurePeak${plan.quickPeak ? ' --quick' : ''}): copyBufferToBuffer of ${sizeLabel(copy.atBytes)}, its largest copy, ` +
      `${withCi(peakFigure)} over ${copy.samples} samples (the slope of wall time over k copies per submit). The independent measure: ` +
      `a plain Node process (src/bench/baselines/cpu-copy.ts, nothing of wgprof or WebGPU) copying ${sizeLabel(cpu.bytes)} ` +
      `${cpu.copies} times with Buffer.copy and ${cpu.copies} with TypedArray.prototype.set, alternating, each copy timed alone: ` +
      `Buffer.copy ${withCi(cpu.bufferCopy)}, TypedArray.set ${withCi(cpu.typedArraySet)}; the baseline is the faster, ${cpu.best.name}. ` +
      'Both count bytes read + written (2x the buffer). The ratio is peak / CPU copy, its CI the widest the two CIs allow ' +
      '(their samples are not both at hand). No target (issue 25): the ratio is stated. The comparison is meaningful only ' +
      `where the GPU's memory is the CPU's (a software adapter: lavapipe, llvmpipe, SwiftShader, WARP). ${sameMemory}${quick}`,
    details: {
      softwareGpu: software,
      adapter,
      peak: { limits: peak.limits, sweeps: peak.sweeps, settings: peak.settings, elapsedMs: peak.elapsedMs },
      cpuCopy: cpu,
    },
    tables: [sweepTable(peak, cpu)],
  });
}

/** One kernel's profile with the peak's shares; a failed run is data, not a throw. */
type KernelRun = { readonly kernel: string; readonly size: string; readonly args: readonly string[] } & (
  | {
      readonly state: 'completed';
      readonly work: { readonly bytes: number; readonly flops: number };
      readonly kernelGpu?: StrategyResult['summary']['kernelGpu'];
      readonly rates: StrategyResult['rates'];
      readonly shares: readonly KernelShare[];
    }
  | { readonly state: 'errored'; readonly error: string }
);

async function profileKernel(
  kernel: string,
  size: string,
  plan: BenchPlan['peak'],
  reference: PeakReference,
): Promise<KernelRun> {
  const args = [
    '--kernel',
    kernel,
    '--size',
    size,
    ...mainOnlyArgs(plan.ops, plan.replicates),
    ...plan.profileArgs,
  ];
  try {
    const { result } = await profileJson(args);
    const rated = withRates(result, reference);
    const run = rated.runs.find((r) => r.strategy === 'main');
    if (!run) throw new Error('its result has no main scenario');
    const work = rated.config.work;
    if (!work) throw new Error('its result declares no work');
    const shares = kernelShares(kernel, run);
    if (shares.length === 0) {
      const why = run.summary.kernelGpu
        ? 'its work has no bytes or f32 operations'
        : 'no kernel GPU time (timestamp-query)';
      throw new Error(`no share of the peak in its result: ${why}`);
    }
    return {
      kernel,
      size,
      args,
      state: 'completed',
      work: { bytes: work.bytes, flops: work.flops },
      ...(run.summary.kernelGpu ? { kernelGpu: run.summary.kernelGpu } : {}),
      rates: run.rates,
      shares,
    };
  } catch (error) {
    return { kernel, size, args, state: 'errored', error: messageOf(error) };
  }
}

function kernelsTable(runs: readonly KernelRun[]): DetailTable {
  return {
    title:
      "each built-in kernel on main: its declared work per op, its kernel's GPU time (median, 95% CI), rates over that time and their shares of the peak measured in 14a",
    header: [
      'kernel',
      'size',
      'bytes / op',
      'FLOP / op',
      'kernel GPU time',
      'bytes/s',
      'share of bandwidth',
      'FLOP/s',
      'share of f32 FLOP/s',
      'low ends <= 100%',
    ],
    rows: runs.map((r) => {
      if (r.state === 'errored')
        return [r.kernel, r.size, `error: ${r.error}`, '-', '-', '-', '-', '-', '-', '-'];
      const kernel = r.rates?.kernel;
      const ofPeak = r.rates?.ofPeak?.kernel;
      const gpu = r.kernelGpu;
      return [
        r.kernel,
        r.size,
        r.work.bytes.toLocaleString('en-US'),
        r.work.flops.toLocaleString('en-US'),
        gpu ? withCi({ value: gpu.median, unit: 'ns', low: gpu.medianCi.low, high: gpu.medianCi.high }) : '-',
        kernel?.bytesPerSecond ? withCi(rateFigure(kernel.bytesPerSecond, 'B/s')) : '-',
        shareWithCi(ofPeak?.bandwidth),
        kernel?.flopsPerSecond ? withCi(rateFigure(kernel.flopsPerSecond, 'FLOP/s')) : '-',
        shareWithCi(ofPeak?.flops),
        r.shares.every((s) => s.share.low <= 1) ? 'yes' : 'no',
      ];
    }),
  };
}

/** 14b: no built-in kernel's share of the peak (bandwidth or f32 FLOP/s) has a low end above 100%. */
async function sharesRow(peak: PeakResult, plan: BenchPlan['peak']): Promise<BenchRow> {
  const kernelsText = plan.kernels.map((k) => `${k.kernel} ${k.size}`).join(', ');
  const measure = `peak: the highest low end of a built-in kernel's share of the peak (bandwidth or f32 FLOP/s), ${plan.kernels.length} kernels on main`;
  const reference = peakReference(peak, 'measured');
  const runs: KernelRun[] = [];
  for (const { kernel, size } of plan.kernels) runs.push(await profileKernel(kernel, size, plan, reference));
  const failed = runs.filter((r) => r.state === 'errored');
  // A kernel left unchecked is no evidence that none exceeds: the row fails rather than pass on fewer.
  if (failed.length > 0)
    return {
      state: 'errored',
      id: '14b',
      measure,
      error: failed.map((r) => `${r.kernel} ${r.size}: ${r.error}`).join('; '),
    };
  const shares = runs.flatMap((r) => (r.state === 'completed' ? r.shares : []));
  const highest = highestLowShare(shares);
  if (!highest)
    return { state: 'errored', id: '14b', measure, error: 'no kernel reported a share of the peak' };
  const over = shares.filter((s) => s.share.low > 1);
  const limitName = (s: KernelShare): string => (s.limit === 'bandwidth' ? 'bandwidth' : 'f32 FLOP/s');
  const runsText = `\`wgprof profile --kernel K --size S --strategy main --ops ${plan.ops} --replicates ${plan.replicates} --time-budget 120s${plan.profileArgs.length > 0 ? ` ${plan.profileArgs.join(' ')}` : ''} ${PROFILE_FLAGS.join(' ')}\``;
  return completedRow({
    id: '14b',
    measure,
    wgprof: { ...highest.share, unit: 'share' },
    target: {
      text: '<= 100% (its low end)',
      direction: 'at-most',
      limit: 1,
      checked: { value: highest.share.low, unit: 'share' },
    },
    note:
      `One ${runsText} run per kernel (${kernelsText}), each a plain process through the built CLI, then withRates(result, ` +
      `peakReference(peak, 'measured')) with 14a's peak: bandwidth ${withCi(rateFigure(reference.bandwidth, 'B/s'))} ` +
      `(${reference.bandwidthMethod.split(',')[0] ?? ''}: the higher of its copy and stream limits, each at its largest buffer), ` +
      `f32 ${withCi(rateFigure(reference.flops, 'FLOP/s'))}. Each kernel's shares (rates.ofPeak.kernel: its declared work over the ` +
      "kernel's median GPU time, against the peak; the CI the widest the two CIs allow) are in the table. Highest low end: " +
      `${highest.kernel}'s share of ${limitName(highest)}, ${shareWithCi(highest.share)}. ` +
      (over.length === 0
        ? 'No share has a low end above 100%.'
        : `Above 100% at the low end: ${over.map((s) => `${s.kernel} (${limitName(s)} ${shareWithCi(s.share)})`).join(', ')}: the work declared or the peak is wrong.`) +
      ' The peak is the rate at a buffer past the caches: an op whose tensors fit a cache could beat it honestly (the ' +
      "peak's `cache` point), so a kernel near 100% at a small size is a question, not yet a bug." +
      (plan.quickPeak ? ' --quick: tiny ops against a quick peak; the figures mean little.' : ''),
    details: { reference, runs },
    tables: [kernelsTable(runs)],
  });
}

/**
 * 14a and 14b (issue 25): `wgprof peak` measured once, then 14a sets its copy bandwidth beside
 * plain CPU copies of the same memory (no target), and 14b profiles each built-in kernel and
 * checks that none claims more than the device can do.
 */
export async function peakRows(plan: BenchPlan): Promise<BenchRow[]> {
  const settings = plan.peak;
  const peak = await measurePeak({
    quick: settings.quickPeak,
    command: ['wgprof', 'peak', ...(settings.quickPeak ? ['--quick'] : [])],
  });
  if (peak.deviceLost) throw new Error(`the device was lost during wgprof peak: ${peak.deviceLost}`);
  return [await copyRow(peak, settings), await sharesRow(peak, settings)];
}
