import { markdownTable } from 'markdown-table';
import { markdownOf } from './report-parts.js';
import { adapterLine } from '../device/device-info.js';
import { memoryBandwidth, ridgePoint } from '../peak/peak-limits.js';
import { sizeLabel } from '../peak/peak-plan.js';
import type { PeakLimit, PeakLimits, PeakSweepPoint } from '../peak/peak-types.js';
import type { PeakResult } from '../results/result-types.js';
import { formatRateIn, rateUnit } from './rates.js';
import { formatDuration, formatNumber } from './units.js';

/**
 * A peak result as text: what it ran on, the limits with their CIs and methods, and the sweeps.
 * Its first three lines are what and where (as every kind's text report), the rest Markdown.
 */

/** The limits in the order the reports list them, with their names. */
const LIMIT_NAMES: readonly [keyof PeakLimits, string][] = [
  ['copyBandwidth', 'copy bandwidth'],
  ['streamBandwidth', 'stream kernel bandwidth'],
  ['f32Flops', 'f32 arithmetic'],
  ['submitFloor', 'empty submit, awaited'],
  ['dispatchFloor', 'smallest dispatch'],
  ['readbackFloor', '4-byte read-back'],
];

/** "44.2 GB/s", "28.5 us": a limit's value or one end of its CI, in its own unit. */
export function formatLimitValue(limit: PeakLimit, value = limit.value): string {
  if (limit.unit === 'ns') return formatDuration(value);
  const unit = rateUnit(limit.value, limit.unit);
  return `${formatRateIn(value, unit)} ${unit.label}`;
}

/** "44.2 GB/s [35.8, 50.2]": a limit with its 95% CI in the value's unit. */
export function formatLimit(limit: PeakLimit): string {
  if (limit.samples === 0) return 'not measured';
  if (limit.unit === 'ns')
    return `${formatDuration(limit.value)} [${formatDuration(limit.low)}, ${formatDuration(limit.high)}]`;
  const unit = rateUnit(limit.value, limit.unit);
  return `${formatRateIn(limit.value, unit)} ${unit.label} [${formatRateIn(limit.low, unit)}, ${formatRateIn(limit.high, unit)}]`;
}

/** Where a limit was reached: "4 MiB", "1,048,576 invocations", or nothing. */
function reachedAt(limit: PeakLimit): string {
  if (limit.atBytes !== undefined) return sizeLabel(limit.atBytes);
  if (limit.atInvocations !== undefined) return `${limit.atInvocations.toLocaleString('en-US')} invocations`;
  return '';
}

/** Limit | Value | 95% CI | Reached at | Samples. */
export function limitsTable(limits: PeakLimits): string {
  return markdownTable(
    [
      ['Limit', 'Value', '95% CI', 'Reached at', 'Samples'],
      ...LIMIT_NAMES.map(([key, name]) => {
        const limit = limits[key];
        const measured = limit.samples > 0;
        return [
          name,
          measured ? formatLimitValue(limit) : 'not measured',
          measured ? `${formatLimitValue(limit, limit.low)} - ${formatLimitValue(limit, limit.high)}` : '-',
          reachedAt(limit),
          String(limit.samples),
        ];
      }),
    ],
    { align: ['l', 'r', 'r', 'r', 'r'] },
  );
}

/** Buffer size | copy | its CI | stream kernel | its CI, one rate unit for the table. */
export function sweepTable(result: PeakResult): string {
  const { copy, stream } = result.sweeps;
  const sizes = [...new Set([...copy, ...stream].map((p) => p.bytes))].sort((a, b) => a - b);
  const unit = rateUnit(Math.max(1, ...[...copy, ...stream].map((p) => p.value)), 'B/s');
  const cells = (points: readonly PeakSweepPoint[], bytes: number): [string, string] => {
    const p = points.find((q) => q.bytes === bytes);
    return p
      ? [formatRateIn(p.value, unit), `${formatRateIn(p.low, unit)} - ${formatRateIn(p.high, unit)}`]
      : ['-', '-'];
  };
  return markdownTable(
    [
      ['Buffer size', `copy [${unit.label}]`, '95% CI', `stream kernel [${unit.label}]`, '95% CI'],
      ...sizes.map((bytes) => [sizeLabel(bytes), ...cells(copy, bytes), ...cells(stream, bytes)]),
    ],
    { align: ['r', 'r', 'r', 'r', 'r'] },
  );
}

/** The first line of every peak report: what it measured. */
function whatLine(result: PeakResult): string {
  return `wgprof peak: the device's bandwidth, f32 arithmetic rate and small-op floors${result.settings.quick ? " (--quick: a short sweep, not the device's limits)" : ''}`;
}

/** The text report of a peak run (also what `--details` lays out for the terminal). */
export function renderPeak(result: PeakResult): string {
  const { environment: env, device, limits, settings } = result;
  const memory = memoryBandwidth(limits);
  const ridge = ridgePoint(limits);
  return [
    whatLine(result),
    `device: ${adapterLine(device)}; kernels timed by ${settings.timing === 'timestamps' ? 'GPU timestamps' : 'wall-clock slopes (no timestamp-query)'}`,
    `host: ${env.cpu.model} (${env.cpu.cores} cores), ${env.os.type} ${env.os.release} ${env.os.arch}, Node ${env.node}, webgpu ${env.webgpu}`,
    '',
    `measured in ${(result.elapsedMs / 1000).toFixed(1)} s${result.deviceLost ? `; the device was lost (${result.deviceLost}): these are not its limits` : ''}`,
    '',
    'The limits (bandwidth: the median at the largest buffer measured, past the caches; arithmetic: the median; floors: the median over every repetition):',
    '',
    limitsTable(limits),
    '',
    `Memory bandwidth, the higher of the two: ${formatLimit(memory)}. Ridge point: ${Number.isFinite(ridge) ? formatNumber(ridge) : '-'} FLOP/byte (f32 arithmetic over memory bandwidth): an op doing fewer FLOP per byte it moves is bound by memory, more by arithmetic.`,
    '',
    'Bandwidth by buffer size (bytes read + bytes written per second; a copy of N bytes moves 2N):',
    '',
    sweepTable(result),
    '',
    "A smaller buffer can sit in a cache and run faster: the sweep shows it, and the bandwidth above is the largest buffer's, what an op whose tensors fit no cache gets.",
    '',
    'How each was measured:',
    '',
    ...LIMIT_NAMES.map(([key, name]) => `- ${name}: ${limits[key].method}`),
    '',
  ].join('\n');
}

/** The peak's report as Markdown: a title, what it ran on as a list, then the tables. */
export function peakMarkdown(result: PeakResult): string {
  return markdownOf(renderPeak(result), result, 'measured:');
}
