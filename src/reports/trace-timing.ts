import { QUERY_SET_BUDGET } from '../device/timestamp-slots.js';
import type { TraceSummary } from '../trace/trace-summary.js';
import { costBeyondNoise, MIN_COST_SAMPLES, type CostMeasure } from '../trace/trace-timing-cost.js';
import type { TraceTiming } from '../trace/trace-timing.js';
import { formatDuration } from './units.js';

/**
 * How a trace words its GPU timing: which passes were timed (--gpu-time), what timing cost the
 * program, and, said once in the notes, a device whose timestamps cannot be trusted (then no
 * GPU figure anywhere: gpuFiguresShown) or readings that failed in a trace that trusts the rest.
 * "Untimed by choice" (--gpu-time) is kept apart from "the reading failed".
 */

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** False when the trace's timestamps cannot be trusted: then it shows no GPU figure at all. */
export function gpuFiguresShown(summary: TraceSummary): boolean {
  return summary.timing?.timestamps.trusted !== false;
}

/** "1 command encoder in 2", "1 in 4". */
function share(gpuTime: string): string {
  if (gpuTime === 'sample') return '1 in 2';
  return gpuTime.replace('/', ' in ');
}

/** "+31.2 us [25.0 us, 38.1 us] (+41%)": what timing added per timed pass, with its CI. */
export function formatPassCost(measure: CostMeasure): string {
  const c = measure.costNs;
  if (!c) return '-';
  const sign = (ns: number): string => (ns >= 0 ? '+' : '');
  const base = measure.untimedNs;
  const pct =
    base !== undefined && base > 0 ? ` (${sign(c.estimate)}${((100 * c.estimate) / base).toFixed(0)}%)` : '';
  return `${sign(c.estimate)}${formatDuration(c.estimate)} [${formatDuration(c.low)}, ${formatDuration(c.high)}]${pct}`;
}

/** One measure of the cost in words, or why it could not be measured ("3 timed submits and 4 untimed"). */
function costText(
  what: string,
  measure: CostMeasure,
  sides: (timed: number, untimed: number) => string,
): string {
  if (measure.costNs) return `${what} ${formatPassCost(measure)}`;
  return `${what} not measurable here (${sides(measure.timed, measure.untimed)}; ${MIN_COST_SAMPLES} of each needed)`;
}

/**
 * The trace's GPU timing in a line, for the report below the GPU busy time: what --gpu-time
 * timed, and what that cost the program per timed pass. Undefined for results written before
 * wgprof sampled.
 */
export function timingLine(timing: TraceTiming | undefined): string | undefined {
  if (!timing) return undefined;
  const p = timing.passes;
  if (timing.gpuTime === 'none')
    return (
      `GPU time: not measured (--gpu-time none): no compute pass was timed and wgprof made no query set, ` +
      `so the program's GPU work ran as it does untraced.`
    );
  if (timing.gpuTime === 'every')
    return (
      `GPU time: every compute pass timed (--gpu-time every): what timing cost the program could not be measured ` +
      `(no untimed pass to compare with), and every figure above includes it.`
    );
  const timed = p.ok + p.failed + p.unread;
  const head =
    `GPU time: each device's first command encoder timed, then ${share(timing.gpuTime)} (--gpu-time ${timing.gpuTime}): ` +
    `${count(timed)} of ${plural(p.passes, 'compute pass', 'compute passes')} chosen for timing, ${count(p.byChoice)} untimed by choice; ` +
    `the figures above include the timed ones.`;
  const cost = timing.cost;
  if (!cost) return head;
  return (
    `${head} What timing cost the program per timed pass (median after timed work minus after untimed, 95% CI): ` +
    `${costText('encoding and submit calls', cost.calls, (t, u) => `${plural(t, 'timed submit')} and ${count(u)} untimed`)}; ` +
    `${costText('the wait after the submit', cost.wait, (t, u) => `${plural(t, 'wait')} after timed work and ${count(u)} after untimed`)}.`
  );
}

const UNTRUSTED_ADVICE =
  "Drivers have shipped timestamps like these (on macOS 26, Metal's counter sample buffers were reported to read " +
  'as zeros: wgpu issue 9414; a Metal device can run out of counter sample buffers: gpuweb issue 3652). Update the ' +
  'OS or GPU driver; --gpu-time none skips timing altogether.';

/** Passes without a GPU time for a reason other than --gpu-time or a failed reading, in words. */
function otherUntimed(summary: TraceSummary, timing: TraceTiming): string | undefined {
  const p = timing.passes;
  const parts: [number, string][] = [
    [p.ownWrites, 'with their own timestampWrites (left untouched)'],
    [
      p.overBudget,
      `on devices past wgprof's budget of ${QUERY_SET_BUDGET} query sets per thread (its other open devices held them)`,
    ],
    [p.noSlot, 'without a free slot in their query set'],
    [p.unread, 'timed but never read back (their thread ended, or their device was lost, first)'],
  ];
  // A trace whose devices have no timestamp-query says so already.
  if (summary.timestamps !== 'none')
    parts.unshift([p.noTimestampQuery, 'on a device without timestamp-query']);
  const said = parts.filter(([n]) => n > 0);
  if (said.length === 0) return undefined;
  const total = said.reduce((a, [n]) => a + n, 0);
  return (
    `${count(total)} of ${plural(p.passes, 'compute pass', 'compute passes')} have no GPU time for reasons other than ` +
    `--gpu-time: ${said.map(([n, why]) => `${count(n)} ${why}`).join(', ')}`
  );
}

/** What the trace's GPU timing means for its figures, one note each, the untrusted device said once. */
export function timingNotes(summary: TraceSummary): string[] {
  const timing = summary.timing;
  if (!timing) {
    const untimed = summary.all.passes - summary.all.timedPasses;
    return untimed > 0 && summary.timestamps !== 'none'
      ? [
          `${untimed} of ${summary.all.passes} compute passes have no GPU time (they brought their own timestampWrites, ran out of slots, or were not read back before their thread ended)`,
        ]
      : [];
  }
  const notes: string[] = [];
  const t = timing.timestamps;
  if (!t.trusted)
    notes.push(
      `this device's GPU timestamps cannot be trusted: ${t.reason ?? 'its readings failed their checks'}. ` +
        `The trace reports CPU-side figures only: no GPU time per pass, no GPU busy time, waits not split ` +
        `into GPU time and latency, no GPU lane in the timelines. ${UNTRUSTED_ADVICE}`,
    );
  else if (t.reason !== undefined && timing.passes.failed > 0)
    notes.push(
      `${count(timing.passes.failed)} of ${plural(t.timed, 'timed pass', 'timed passes')} had a GPU timestamp reading ` +
        `that failed a check: ${t.reason}. Those passes have no GPU time; the others' readings passed.`,
    );
  const measures: [string, CostMeasure | undefined][] = [
    ['its encoding and submit calls', timing.cost?.calls],
    ['its waits', timing.cost?.wait],
  ];
  const costly = measures.flatMap(([what, m]) => (m && costBeyondNoise(m) ? [{ what, m }] : []));
  if (costly.length > 0)
    notes.push(
      `the program's timed work took otherwise than its untimed work, beyond the noise: ` +
        `${costly.map(({ what, m }) => `${what} ${formatPassCost(m)} per timed pass`).join(', ')} (timed minus untimed). ` +
        `The calls' and waits' times above include that for the timed passes (--gpu-time ${timing.gpuTime}); ` +
        `--gpu-time none leaves every pass untimed`,
    );
  if (timing.gpuTime === 'every' && timing.passes.ok + timing.passes.failed > 0)
    notes.push(
      'every compute pass was timed (--gpu-time every): the times of its submits and waits include what timing ' +
        'cost the program, which it does not pay untraced; --gpu-time sample (the default) measures that cost',
    );
  const other = otherUntimed(summary, timing);
  if (other !== undefined) notes.push(other);
  return notes;
}
