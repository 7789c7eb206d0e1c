import { markdownTable } from 'markdown-table';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import type { Rate } from '../work/op-rates.js';
import { arithmeticIntensity, type OpWork } from '../work/op-work.js';
import { opUnit } from './rate-words.js';
import { formatNumber } from './units.js';
import { formatRate, formatRateIn, formatShare, rateUnit } from './rates.js';

/** "11.2 GB/s [10.9, 11.4]": a rate with its CI, in the rate's own prefix. */
function rateWithCi(rate: Rate | undefined, unit: 'B/s' | 'FLOP/s' | 'OP/s'): string {
  if (!rate) return '-';
  // One prefix for the three, the value's: "872 MB/s [620, 1,120]", never "[620, 1.12]".
  const u = rateUnit(rate.value, unit);
  return `${formatRateIn(rate.value, u)} ${u.label} [${formatRateIn(rate.low, u)}, ${formatRateIn(rate.high, u)}]`;
}

const share = (s: Rate | undefined): string =>
  s ? `${formatShare(s.value)} [${formatShare(s.low)}, ${formatShare(s.high)}]` : '-';

/** "8.39 MB read + written, 2.10 MFLOP per op (declared by the kernel): 0.25 FLOP per byte". */
export function workLine(work: OpWork, dtype: string): string {
  const ops = opUnit(dtype).replace('/s', '');
  const intensity = arithmeticIntensity(work);
  const by = { kernel: 'the kernel', '--work': `--work`, 'op module': "the op module's work()" }[work.from];
  const passes = work.passes
    ? ` over ${work.passes.length} passes (${work.passes.map((p) => p.name).join(', ')})`
    : '';
  return (
    `Work per op: ${formatRate(work.bytes, 'B/s').replace('/s', '')} read + written, ` +
    `${formatRate(work.flops, 'FLOP/s').replace('FLOP/s', ops)}${passes}, as declared by ${by}` +
    (intensity === undefined ? '.' : `: ${formatNumber(intensity)} ${ops} per byte.`)
  );
}

/** "Peak of this adapter (wgprof peak, 2026-12-06T07:40Z, saved): ..." */
function peakLine(result: ProfileResult): string {
  const p = result.peak;
  if (!p)
    return "No measured peak of this adapter: run `wgprof peak` once (it is kept per adapter), or profile with --peak, for each rate's share of the device's limits.";
  return (
    `Against this adapter's measured limits (wgprof peak of ${p.measuredAt}, ${p.from === 'saved' ? 'saved' : 'measured for this run'}): ` +
    `memory ${rateWithCi(p.bandwidth, 'B/s')}, f32 arithmetic ${rateWithCi(p.flops, 'FLOP/s')}, ` +
    `ridge point ${formatNumber(p.ridge)} FLOP per byte (below it an op is memory-bound).` +
    (p.streamBandwidth && p.streamBandwidth.value < 0.8 * p.bandwidth.value
      ? ` A compute kernel that only streams memory reached ${rateWithCi(p.streamBandwidth, 'B/s')} on it: ${streamShares(result, p.streamBandwidth.value)}.`
      : '')
  );
}

/** Main's kernel bandwidth over the stream kernel's (the first rated scenario's without main). */
function streamShares(result: ProfileResult, stream: number): string {
  const run = result.runs.find((r) => r.strategy === 'main' && r.rates) ?? result.runs.find((r) => r.rates);
  const bytes = run?.rates?.kernel?.bytesPerSecond?.value;
  return bytes === undefined
    ? "this op's kernel has no GPU time to set against it"
    : `this op's kernel runs at ${formatShare(bytes / stream)} of that`;
}

function row(run: StrategyResult, dtype: string): string[] {
  const r = run.rates;
  const unit = opUnit(dtype);
  return [
    run.label,
    rateWithCi(r?.kernel?.bytesPerSecond, 'B/s'),
    rateWithCi(r?.kernel?.flopsPerSecond, unit),
    share(r?.ofPeak?.kernel?.bandwidth),
    share(r?.ofPeak?.kernel?.flops),
    r?.ofPeak?.kernel?.binds ?? '-',
    rateWithCi(r?.op?.bytesPerSecond, 'B/s'),
    share(r?.ofPeak?.op?.bandwidth),
  ];
}

/**
 * The rates section of the full report: what one op does, the device's limits it is read
 * against, and per scenario the kernel's rates over its GPU time and the whole op's over its
 * total, with their shares of the limits. Empty when the op declares no work.
 */
export function ratesSection(result: ProfileResult): string[] {
  const work = result.config.work;
  if (!work || !result.runs.some((r) => r.rates)) return [];
  const unit = opUnit(result.config.dtype);
  const table = markdownTable(
    [
      [
        'scenario',
        'kernel B/s [95% CI]',
        `kernel ${unit}`,
        'of bandwidth',
        `of f32 ${unit.replace('/s', '')}`,
        'bound',
        'whole op B/s',
        'of bandwidth',
      ],
      ...result.runs.map((run) => row(run, result.config.dtype)),
    ],
    { align: ['l', 'r', 'r', 'r', 'r', 'l', 'r', 'r'] },
  );
  return [
    `Rates (the op's work over its median times):\n\n${workLine(work, result.config.dtype)} ${peakLine(result)}\n\n${table}`,
  ];
}
