import { costBeyondNoise, type Timed, type TimingSummary } from '../measurement/timing-cost.js';
import { formatDuration } from './units.js';
import { TIMED_BLOCK } from '../config/gpu-time.js';

/** "1 op in 2", "1 op in 4", "every op". */
function share(gpuTime: string): string {
  if (gpuTime === 'every') return 'every op';
  if (gpuTime === 'sample') return '1 op in 2';
  return gpuTime.replace('/', ' op in ');
}

/** "+28.2 us [25.1, 31.0] (+39%)": a timed op's cost over an untimed one. */
export function formatCost(t: TimingSummary): string {
  const c = t.costNs;
  if (!c) return '-';
  const pct =
    t.costShare === undefined ? '' : ` (${t.costShare >= 0 ? '+' : ''}${(100 * t.costShare).toFixed(0)}%)`;
  const sign = c.estimate >= 0 ? '+' : '';
  return `${sign}${formatDuration(c.estimate)} [${formatDuration(c.low)}, ${formatDuration(c.high)}]${pct}`;
}

/**
 * The run's GPU timing in a line: which ops were timed, what the figures are of, and what timing
 * cost a timed op where that is beyond the noise ("timing a pass cost 28 us per op here; the
 * figures above are of untimed ops"). `outlastsOp`: every scenario whose readings failed has a GPU
 * time longer than its op (quality/op-contradictions.ts). Undefined for results written before
 * wgprof sampled.
 */
export function timingLine(
  runs: readonly Timed[],
  deviceTimestamps: boolean,
  opModule = false,
  outlastsOp = false,
): string | undefined {
  const timed = runs.filter((r): r is Timed & { timing: TimingSummary } => r.timing !== undefined);
  const first = timed[0]?.timing;
  if (!first) return undefined;
  if (first.gpuTime === 'none') return 'GPU time: not measured (--gpu-time none): every op ran untimed.';
  if (!deviceTimestamps)
    return 'GPU time: not measured (the device has no timestamp-query): every op ran untimed.';
  // Readings longer than the op that held them, because the op returns before its GPU work ends.
  if (outlastsOp && timed.some((r) => !r.timing.timestamps.trusted))
    return "GPU time: none reported: the op's GPU work outlasts the op (see the warnings); and its other figures cannot be trusted either.";
  if (timed.some((r) => !r.timing.timestamps.trusted))
    return "GPU time: none reported: this device's timestamps cannot be trusted (see the warnings); every other figure stands.";
  if (timed.every((r) => r.timing.figuresOf === 'all'))
    return `GPU time: ${share(first.gpuTime)} timed (--gpu-time ${first.gpuTime}): the figures include what timing costs.`;
  if (timed.every((r) => r.timing.timedOps === 0))
    return `GPU time: none: no op was timed (--gpu-time ${first.gpuTime} times ops in blocks of ${TIMED_BLOCK}, and the run was too short to reach one); every figure is of untimed ops.`;
  const costly = timed.filter((r) => costBeyondNoise(r.timing));
  const head = `GPU time from ${share(first.gpuTime)} (timed); every other figure is of the untimed ops`;
  // An op module's timed ops ran with the instrumentation too: its patches count every call.
  const what = opModule
    ? 'Timing (the instrumentation counting its calls, and timestamps on its passes)'
    : 'Timing';
  if (costly.length === 0) return `${head}. ${what} cost a timed op nothing beyond the noise here.`;
  const rest = timed.length - costly.length;
  return (
    `${head}. ${what} cost a timed op ${costly.map((r) => `${formatCost(r.timing)} in ${r.label}`).join(', ')}` +
    `${
      rest > 0
        ? `; nothing beyond the noise in ${timed
            .filter((r) => !costBeyondNoise(r.timing))
            .map((r) => r.label)
            .join(', ')}`
        : ''
    }.`
  );
}
