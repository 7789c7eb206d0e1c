import { memoryBandwidth, ridgePoint } from '../../peak/peak-limits.js';
import { sizeLabel } from '../../peak/peak-plan.js';
import type { PeakResult } from '../../results/result-types.js';
import { formatLimit, renderPeak } from '../peak-report.js';
import { formatRate } from '../rates.js';
import { formatDuration, formatNumber } from '../units.js';
import { detailsView, footLines, joinSections, shortAdapter, type ViewOptions } from './view-parts.js';
import { wrapText } from './wrap.js';

/** A peak view's options: besides the run's result.json, where the latest peak of the adapter was kept. */
export interface PeakViewOptions extends ViewOptions {
  readonly latestPath?: string;
}

/** Label column of the view: the figures start under one another. */
const LABEL = 18;

/**
 * `wgprof peak`'s default view: what it ran on, then the answers, a line each: the memory
 * bandwidth (the better of the copy and the stream kernel, and where), the f32 rate, the ridge
 * point between them, and the floors of a small op.
 */
export function peakView(result: PeakResult, options: PeakViewOptions): string {
  const { style, width } = options;
  const { limits, device, environment: env } = result;
  const memory = memoryBandwidth(limits);
  const other = memory === limits.copyBandwidth ? limits.streamBandwidth : limits.copyBandwidth;
  const [memoryName, otherName] = memory === limits.copyBandwidth ? ['copy', 'stream'] : ['stream', 'copy'];
  const ridge = ridgePoint(limits);
  // The text is wrapped on its own (wrapping folds runs of spaces), then set after its label.
  const row = (label: string, text: string): string[] =>
    wrapText(text, Math.max(20, width - LABEL)).map(
      (line, i) => `${i === 0 ? style.dim(label.padEnd(LABEL)) : ' '.repeat(LABEL)}${line}`,
    );
  const at = memory.atBytes === undefined ? '' : ` at ${sizeLabel(memory.atBytes)}`;
  const ns = (value: number, samples: number): string => (samples > 0 ? formatDuration(value) : '-');
  const lines = [
    ...row(
      'memory bandwidth',
      `${style.bold(formatLimit(memory))}  ${memoryName}${at} (${otherName}: ${other.samples > 0 ? formatRate(other.value, 'B/s') : '-'})`,
    ),
    ...cacheLine(result).flatMap((line) => row('', line)),
    ...row('f32 arithmetic', style.bold(formatLimit(limits.f32Flops))),
    ...row(
      'ridge point',
      Number.isFinite(ridge)
        ? `${formatNumber(ridge)} FLOP/byte: below it an op is memory-bound`
        : 'unknown (no bandwidth was measured)',
    ),
    ...row(
      'floors',
      `submit ${ns(limits.submitFloor.value, limits.submitFloor.samples)} · dispatch ${ns(limits.dispatchFloor.value, limits.dispatchFloor.samples)} · 4-byte read-back ${ns(limits.readbackFloor.value, limits.readbackFloor.samples)}`,
    ),
  ];
  const notes = [
    `measured in ${(result.elapsedMs / 1000).toFixed(1)} s; kernels timed by ${result.settings.timing === 'timestamps' ? 'GPU timestamps' : 'wall-clock slopes'}`,
    ...(result.settings.quick ? ["--quick: a short sweep, not this device's limits"] : []),
    ...(result.deviceLost ? [`the device was lost (${result.deviceLost}): these are not its limits`] : []),
    ...(options.latestPath ? [`latest peak of this adapter: ${options.latestPath}`] : []),
  ];
  return joinSections([
    wrapText(
      `${style.bold('wgprof peak:')} ${shortAdapter(device.description)} (${device.backend}${device.noRealGpuWork ? ', NO REAL GPU WORK' : ''}) ${style.dim('·')} ${env.cpu.model}, ${env.cpu.cores} cores`,
      width,
      '',
      '  ',
    ),
    lines,
    [...notes.flatMap((n) => wrapText(style.dim(n), width, '', '  ')), ...footLines(options, 'the sweeps')],
  ]);
}

/**
 * A smaller buffer's faster rate, where the sweep found one: it sat in a cache, and only an op
 * whose tensors fit that cache gets it.
 */
function cacheLine(result: PeakResult): string[] {
  const cache = memoryBandwidth(result.limits).cache;
  return cache ? [`in cache: ${formatRate(cache.value, 'B/s')} at ${sizeLabel(cache.bytes)}`] : [];
}

/** `--details`: every limit with its CI, where it was reached and how it was measured, and both sweeps. */
export function peakDetails(result: PeakResult, options: PeakViewOptions): string {
  return detailsView(renderPeak(result), options);
}
