import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import type { PeakShare, Rates } from '../work/op-rates.js';
import { formatRate, formatShare } from './rates.js';
import { whereTimeGoes } from './where-time-goes.js';

/**
 * An op's rates in words for the terminal and the reports: the rate that matters (the one whose
 * limit binds, or bandwidth where no peak says which), and its share of the device's measured
 * limit where there is one.
 */

/** OP/s for integer tensors: their operations are not floating-point. */
export function opUnit(dtype: string): 'FLOP/s' | 'OP/s' {
  return dtype === 'f32' || dtype === 'f16' ? 'FLOP/s' : 'OP/s';
}

/** Which rate to show: the binding limit's, else bandwidth, else operations. */
function shownKind(rates: Rates, share: PeakShare | undefined): 'bytes' | 'flops' | undefined {
  if (share?.binds === 'compute' && rates.flopsPerSecond) return 'flops';
  if (rates.bytesPerSecond) return 'bytes';
  return rates.flopsPerSecond ? 'flops' : undefined;
}

/** "11.2 GB/s", "11.2 GB/s 71%", "2.81 GFLOP/s 64%": one rate of a scenario, for a table cell. */
export function rateCell(run: StrategyResult, over: 'kernel' | 'op', dtype: string): string {
  const rates = run.rates?.[over];
  if (!rates) return '-';
  const share = run.rates.ofPeak?.[over];
  const kind = shownKind(rates, share);
  if (kind === undefined) return '-';
  const rate =
    kind === 'bytes'
      ? formatRate(rates.bytesPerSecond?.value ?? NaN, 'B/s')
      : formatRate(rates.flopsPerSecond?.value ?? NaN, opUnit(dtype));
  const of = kind === 'bytes' ? share?.bandwidth : share?.flops;
  return of ? `${rate} ${formatShare(of.value)}` : rate;
}

const limitName = { bytes: "this device's measured bandwidth", flops: "this device's measured f32 rate" };

/**
 * One sentence on main's rates (every scenario runs the same kernel; the table has each one's):
 * "the kernel runs at 71% of this device's measured bandwidth: memory-bound; the op as a whole at
 * 12%, the rest is sync", then shorter forms of it: the view prints the fullest that fits one
 * line. Empty when the op declares no work or has no rate.
 */
export function rateSentences(result: ProfileResult): string[] {
  const run = result.runs.find((r) => r.strategy === 'main' && r.rates) ?? result.runs.find((r) => r.rates);
  const rates = run?.rates;
  if (!run || !rates) return [];
  const dtype = result.config.dtype;
  const kernelShare = rates.ofPeak?.kernel;
  const opShare = rates.ofPeak?.op;
  const kind = shownKind(rates.kernel ?? rates.op ?? {}, kernelShare ?? opShare);
  if (kind === undefined) return [];
  const pick = (r: Rates | undefined): string | undefined => {
    const v = kind === 'bytes' ? r?.bytesPerSecond : r?.flopsPerSecond;
    return v ? formatRate(v.value, kind === 'bytes' ? 'B/s' : opUnit(dtype)) : undefined;
  };
  const share = (s: PeakShare | undefined): number | undefined =>
    (kind === 'bytes' ? s?.bandwidth : s?.flops)?.value;
  const who = run.strategy === 'main' ? '' : ` (${run.label})`;
  const kernelRate = pick(rates.kernel);
  const opRate = pick(rates.op);
  if (!result.peak) {
    const verb = kind === 'bytes' ? 'moves' : 'does';
    const parts = [
      ...(kernelRate ? [`the kernel ${verb} ${kernelRate}`] : []),
      ...(opRate ? [`the op end to end ${opRate}`] : []),
    ];
    return [
      `rate${who}: ${parts.join(', ')}; no peak of this adapter to compare with (wgprof peak, or --peak)`,
      `rate${who}: kernel ${kernelRate ?? '-'}, whole op ${opRate ?? '-'} (no peak: wgprof peak)`,
    ];
  }
  const k = share(kernelShare);
  const o = share(opShare);
  const bound = kernelShare?.binds ? `: ${kernelShare.binds}-bound` : '';
  const head =
    k !== undefined
      ? `the kernel runs at ${formatShare(k)} of ${limitName[kind]} (${kernelRate})${bound}`
      : `the kernel's rate is unknown (no GPU time)`;
  // Where the rest of the op's time goes, when the whole op's share is far below the kernel's.
  const rest = whereTimeGoes(run, 1);
  const tail =
    o !== undefined
      ? `; the op as a whole at ${formatShare(o)}${k !== undefined && o < 0.8 * k && rest !== '-' ? ` (${rest} of its time)` : ''}`
      : '';
  const short =
    k !== undefined
      ? `rate${who}: kernel ${kernelRate ?? '-'}, ${formatShare(k)} of measured ${kind === 'bytes' ? 'bandwidth' : 'f32 rate'}${kernelShare?.binds ? `, ${kernelShare.binds}-bound` : ''}${o !== undefined ? `; whole op ${formatShare(o)}` : ''}`
      : `rate${who}: ${head}${tail}`;
  return [`rate${who}: ${head}${tail}`, short];
}
