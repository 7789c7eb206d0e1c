import { costBeyondNoise } from '../../measurement/timing-cost.js';
import { PHASE_LABEL } from '../../op/phases.js';
import type { ProfileResult, QualityWarning, StrategyResult } from '../../results/result-types.js';
import {
  attributeDifference,
  overheadOf,
  startShare,
  untrustedWords,
  verdictCategory,
  type VerdictCategory,
} from '../guidance.js';
import {
  CONTRADICTION_CODES,
  CONTRADICTION_WORDS,
  ownContradiction,
  type ContradictionCode,
} from '../../results/verdict-trust.js';
import { describeLoss, renderProfile, timedOutLine } from '../profile-report.js';
import { rateCell, rateSentences } from '../rate-words.js';
import { whereTimeGoes } from '../where-time-goes.js';
import { formatDuration, formatNumber, unitFor, formatIn } from '../units.js';
import { fitTable } from './text-table.js';
import type { Style, VerdictKind } from './style.js';
import { detailsView, footLines, headLines, joinSections, type ViewOptions } from './view-parts.js';
import { visibleWidth, wrapText } from './wrap.js';

/**
 * `wgprof profile`'s default terminal view, in the order a reader needs it (as hyperfine and
 * criterion print): what it ran on and how the run ended, a line per scenario (ops/s, the median
 * per op and vs main with their CIs, where the op's time goes), a verdict sentence per scenario
 * naming the phase that carries the difference, the warnings that change how a verdict reads
 * (grouped, at most three lines), and where the result and the full report are. Every figure
 * picks its own unit. `--details` prints the whole report (profileDetails).
 */
/** Warnings that change how a verdict reads: shown by default; the others are counted. */
export const VERDICT_WARNINGS: ReadonlySet<string> = new Set([
  ...CONTRADICTION_CODES,
  'timestamps-untrusted',
  'figures-include-timing',
  'replicates-disagree',
  'interference',
  'busy-machine',
  'gpu-work-placement',
  'drift',
  'stuck-thread',
  'warmup-cut-short',
  'op-leaks-buffers',
]);

const CONTRADICTIONS: ReadonlySet<string> = new Set(CONTRADICTION_CODES);
const CONTRADICTION = 'op-contradiction';

/** What a warning's code says in a few words, for its one line in the short view. */
const WARNING_WORDS: Readonly<Record<string, string>> = {
  'timestamps-untrusted': "this device's GPU timestamps cannot be trusted: no GPU time reported",
  'figures-include-timing': 'every op was timed: the figures include what timing costs',
  'replicates-disagree': 'replicates disagree (their processes ran at different speeds)',
  interference: 'a scenario slowed the process after it',
  'busy-machine': 'the machine was busy when processes started',
  'gpu-work-placement': 'devices did the GPU work in different places',
  drift: 'its speed drifted during the run',
  'stuck-thread': 'a pool thread stopped answering',
  'warmup-cut-short': 'the time budget cut warm-ups short',
  'op-leaks-buffers': 'the op leaves buffers alive',
};

/** "44.8", "3,532": ops/s. */
const rate = (value: number): string => formatNumber(value);

/** "19.7 ms [15.7, 24.7]": a median and its CI, in the median's own unit. */
function withCi(
  median: number | undefined,
  low: number | undefined,
  high: number | undefined,
  style: Style,
): string {
  if (median === undefined || !Number.isFinite(median)) return '-';
  const unit = unitFor(median);
  const ci =
    low === undefined || high === undefined
      ? ''
      : style.dim(` [${formatIn(low, unit)}, ${formatIn(high, unit)}]`);
  return `${formatIn(median, unit)} ${unit.label}${ci}`;
}

const ratio = (v: number): string => (v >= 10 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(2) : v.toPrecision(2));

function versusMain(run: StrategyResult, style: Style): string {
  if (run.strategy === 'main') return '1.00x';
  const s = run.vsMain;
  if (!s) return '-';
  return `${ratio(s.estimate)}x${style.dim(` [${ratio(s.low)}, ${ratio(s.high)}]`)}`;
}

function stopWords(result: ProfileResult): string {
  const { rounds, config } = result;
  switch (rounds.stoppedBy) {
    case 'noise':
      return 'stopped: every median known to --max-noise';
    case 'settled':
      return 'stopped: every verdict settled';
    case 'rounds':
      return 'stopped: the most rounds the schedule adds';
    case 'futile':
      return 'stopped: open verdicts need a longer budget';
    case 'ops':
      return `stopped after --ops ${config.ops ?? ''}`;
    case 'time-budget':
      return `stopped by the ${(config.timeBudgetMs / 1000).toFixed(0)} s --time-budget`;
    case 'interrupted':
      return 'interrupted: these are the ops measured before it';
    case 'process-died':
      return 'a measuring process died: these are the ops measured before it';
    case 'device-lost':
      return 'the GPU device was lost: these are the ops measured before it';
    case 'failing':
      return 'stopped: the ops kept failing (--details: why)';
  }
}

/** The GPU timing in a few words: what was timed, what it cost, what the figures are of. */
function timingWords(result: ProfileResult): string | undefined {
  const timed = result.runs.filter((r) => r.timing);
  const first = timed[0]?.timing;
  if (!first) return undefined;
  if (first.gpuTime === 'none') return 'GPU time: not measured (--gpu-time none)';
  if (!result.device.timestamps) return 'GPU time: not measured (no timestamp-query)';
  const untrusted = timed.filter((r) => r.timing && !r.timing.timestamps.trusted);
  // Readings longer than the op that held them, from an op that returns before its GPU work ends.
  if (untrusted.length > 0 && untrusted.every(ownContradiction))
    return 'GPU time: none (the GPU work outlasts the op: see the warning)';
  if (untrusted.length > 0) return "GPU time: none (timestamps can't be trusted)";
  if (timed.every((r) => r.timing?.figuresOf === 'all'))
    return 'GPU time on every op: the figures include its cost';
  if (timed.every((r) => r.timing?.timedOps === 0))
    return 'GPU time: none (too few ops to time: --details says what to do)';
  const share = first.gpuTime === 'sample' ? '1 op in 2' : first.gpuTime.replace('/', ' op in ');
  const costly = timed.filter((r) => costBeyondNoise(r.timing));
  const worst = costly.sort((a, b) => (b.timing?.costShare ?? 0) - (a.timing?.costShare ?? 0))[0];
  // The costliest scenario's: "up to" it, where several were timed.
  const cost = worst?.timing?.costNs
    ? `+${formatDuration(worst.timing.costNs.estimate)}${worst.timing.costShare === undefined ? '' : `, +${(100 * worst.timing.costShare).toFixed(0)}%`} each`
    : 'no cost beyond the noise';
  return `GPU time: ${share} timed (${cost}); other figures: untimed ops`;
}

function header(result: ProfileResult, options: ViewOptions): string[] {
  const iso = result.isolation;
  const scenarios = result.runs.length;
  const seconds = (result.rounds.elapsedMs / 1000).toFixed(1);
  const run = iso
    ? `${scenarios} scenario${scenarios === 1 ? '' : 's'}, ${iso.processes} process${iso.processes === 1 ? '' : 'es'} in ${seconds} s; ${stopWords(result)}`
    : `${scenarios} scenario${scenarios === 1 ? '' : 's'} in ${seconds} s; ${stopWords(result)}`;
  const timing = timingWords(result);
  return [
    ...headLines('profile', result, run, options),
    ...(timing === undefined ? [] : wrapText(timing, options.width, '', '  ')),
  ];
}

function verdictKindOf(category: VerdictCategory): VerdictKind {
  if (category === 'undecided') return 'unsure';
  if (category === 'no-overhead' || category === 'negligible' || category === 'faster') return 'good';
  return 'bad';
}

const pct = (v: number): string =>
  `${v >= 0 ? '' : '-'}${Math.abs(v) >= 10 ? Math.abs(v).toFixed(0) : Math.abs(v).toFixed(1)}%`;

/** Where the difference from main lies, in a few words: "in sync (+3.2 ms, the GPU's own time)". */
function carriedBy(run: StrategyResult, main: StrategyResult, short = false): string {
  const a = attributeDifference(run, main);
  if (!a) return '';
  if (short) return `, in ${PHASE_LABEL[a.phase]}`;
  const signed = `${a.ns >= 0 ? '+' : '-'}${formatDuration(Math.abs(a.ns))}`;
  return `, in ${PHASE_LABEL[a.phase]} (${signed}${a.device ? ", the GPU's own time" : ''})`;
}

/**
 * A scenario's verdict as sentences from the fullest to the shortest: the view prints the first
 * that fits on one line beside the scenario's name. Each names the phase that carries the
 * difference, where there is one.
 */
export function verdictSentences(
  run: StrategyResult,
  main: StrategyResult | undefined,
  style: Style,
): string[] {
  const contradicted = untrustedWords(run);
  if (contradicted !== undefined) {
    const word = style.verdict(
      'bad',
      run.strategy === 'main' || !main ? 'baseline, cannot be trusted' : 'cannot be trusted',
    );
    return [
      `${word}: the op's figures contradict each other (${contradicted}); fix the op first`,
      `${word}: the op's figures contradict each other`,
      word,
    ];
  }
  if (run.strategy === 'main' || !main) {
    const where = whereTimeGoes(run, 1);
    return where === '-' ? ['the baseline: no op measured'] : [`the baseline: ${where} of each op`];
  }
  const o = overheadOf(run);
  if (!o) return ['no verdict: main did not run beside it'];
  const category = verdictCategory(run, o);
  const v = (text: string): string => style.verdict(verdictKindOf(category), text);
  const ci = style.dim(`[${pct(o.low)}, ${pct(o.high)}]`);
  switch (category) {
    case 'undecided':
      return [
        `${v('undecided')}: costs ${pct(o.low)} to ${pct(o.high)} of main's throughput; run longer or add --replicates`,
        `${v('undecided')}: costs ${pct(o.low)} to ${pct(o.high)}; run longer or add --replicates`,
        `${v('undecided')}: ${pct(o.low)} to ${pct(o.high)}`,
      ];
    case 'no-overhead':
      return [`${v('fine')}: no measurable overhead ${ci}`, `${v('fine')}: no measurable overhead`];
    case 'negligible': {
      const words = `${pct(Math.abs(o.estimate))} ${o.estimate > 0 ? 'slower' : 'faster'}`;
      return [`${v('fine')}: negligible, ${words} ${ci}`, `${v('fine')}: negligible, ${words}`];
    }
    case 'avoid-start':
      return [
        `${v('avoid per op')}: ${pct(o.estimate)} of main's throughput lost ${ci}; worker start ${startShare(run).toFixed(0)}% of each op`,
        `${v('avoid per op')}: ${pct(o.estimate)} slower ${ci}; worker start ${startShare(run).toFixed(0)}% of each op`,
        `${v('avoid per op')}: ${pct(o.estimate)} slower; start ${startShare(run).toFixed(0)}% of each op`,
      ];
    case 'faster':
      return [
        `${v('faster')} than main by ${pct(-o.estimate)} ${ci}${carriedBy(run, main)}`,
        `${v('faster')} than main by ${pct(-o.estimate)}${carriedBy(run, main, true)}`,
      ];
    case 'avoid':
    case 'costs': {
      const word = v(category === 'avoid' ? 'avoid per op' : 'costs');
      return [
        `${word} ${pct(o.estimate)} of main's throughput ${ci}${carriedBy(run, main)}`,
        `${word} ${pct(o.estimate)} ${ci}${carriedBy(run, main, true)}`,
        `${word} ${pct(o.estimate)}${carriedBy(run, main, true)}`,
      ];
    }
  }
}

/** The fullest of `sentences` that fits in `room` columns (the shortest, wrapped, when none does). */
export function fitting(sentences: readonly string[], room: number): string {
  return sentences.find((s) => visibleWidth(s) <= room) ?? sentences[sentences.length - 1] ?? '';
}

/** The warnings that change a verdict, grouped by kind, at most `most` lines, then a count of the rest. */
export function warningLines(warnings: readonly QualityWarning[], most: number, style: Style): string[] {
  // An op's contradictions share one line: each alone says the same thing, that the op is wrong.
  const groupOf = (code: string): string => (CONTRADICTIONS.has(code) ? CONTRADICTION : code);
  const groups = new Map<string, QualityWarning[]>();
  for (const w of warnings)
    if (VERDICT_WARNINGS.has(w.code))
      groups.set(groupOf(w.code), [...(groups.get(groupOf(w.code)) ?? []), w]);
  const shown = [...groups.entries()].slice(0, most);
  const lines = shown.map(([group, list]) => {
    const where = [...new Set(list.map((w) => w.scenario).filter((s) => s !== undefined))];
    const words =
      group === CONTRADICTION
        ? `the op contradicts itself (${[...new Set(list.map((w) => CONTRADICTION_WORDS[w.code as ContradictionCode]))].join(', ')}): its verdicts cannot be trusted`
        : (WARNING_WORDS[group] ?? group);
    return `${style.verdict(group === CONTRADICTION ? 'bad' : 'unsure', '!')} ${words}${where.length > 0 ? `: ${where.join(', ')}` : ''}`;
  });
  const rest = warnings.length - shown.reduce((n, [, list]) => n + list.length, 0);
  if (rest > 0)
    lines.push(
      style.dim(
        `${rest} ${lines.length > 0 ? 'more ' : ''}warning${rest === 1 ? '' : 's'}: --details lists every one, with what to do`,
      ),
    );
  return lines;
}

export function profileView(result: ProfileResult, options: ViewOptions): string {
  const { width, style } = options;
  const main = result.runs.find((r) => r.strategy === 'main');
  // The kernel's rate (and its share of the device's peak) where the op declares its work.
  const rated = result.runs.some((run) => run.rates?.kernel);
  // Where the time goes: the two largest phases, or the largest alone where two do not fit; the
  // rate column goes last, when even one phase does not fit beside it (the rate line says it).
  const tableFor = (phases: number, withRate: boolean): string[] =>
    fitTable(
      {
        header: [
          'scenario',
          'ops/s',
          'per op [95% CI]',
          'vs main',
          ...(withRate ? ['kernel rate'] : []),
          'time goes to',
        ],
        rows: result.runs.map((run) => [
          run.everyOpCold ? `${run.label} (cold)` : run.label,
          rate(run.opsPerSecond),
          withCi(
            run.summary.total?.median,
            run.summary.total?.medianCi.low,
            run.summary.total?.medianCi.high,
            style,
          ),
          versusMain(run, style),
          ...(withRate ? [rateCell(run, 'kernel', result.config.dtype)] : []),
          whereTimeGoes(run, phases),
        ]),
        align: ['l', 'r', 'r', 'r', ...(withRate ? (['r'] as const) : []), 'l'],
      },
      width,
      style.dim,
    );
  const fits = (lines: string[]): boolean => lines.length === result.runs.length + 1;
  const layouts: [number, boolean][] = rated
    ? [
        [2, true],
        [1, true],
        [1, false],
      ]
    : [
        [2, false],
        [1, false],
      ];
  const table =
    layouts.map(([phases, withRate]) => tableFor(phases, withRate)).find(fits) ?? tableFor(1, false);
  const rates = rateSentences(result);
  const rateLine = rates.length > 0 ? fitting(rates, width) : undefined;
  // Main has no verdict: its line would repeat the table's "time goes to", unless its op contradicts itself.
  const judged = result.runs.filter((run) => run !== main || run.verdictUntrusted !== undefined);
  const labelWidth = Math.max(0, ...judged.map((r) => r.label.length));
  const verdicts = judged.flatMap((run) =>
    wrapText(
      fitting(verdictSentences(run, main, style), width - labelWidth - 2),
      width,
      `${run.label.padEnd(labelWidth)}  `,
      ' '.repeat(labelWidth + 2),
    ),
  );
  const warnings = warningLines(result.warnings ?? [], 3, style);
  // A device lost, or ops that timed out: said as the full report says them, never left to --details.
  const ended = result.runs.flatMap((run) => {
    if (run.deviceLost) return [`${describeLoss(run.label, run.deviceLost)}; the records before it are kept`];
    const timedOut = timedOutLine(run);
    return timedOut === undefined ? [] : [timedOut];
  });
  return joinSections([
    header(result, options),
    ended.flatMap((l) => wrapText(style.verdict('bad', l), width, '', '  ')),
    table,
    [...verdicts, ...(rateLine === undefined ? [] : wrapText(rateLine, width, '', '  '))],
    warnings.flatMap((l) => wrapText(l, width, '', '  ')),
    ...(result.device.noRealGpuWork
      ? [['NOTE: the null backend ran no GPU work: these figures measure plumbing only.']]
      : []),
    footLines(options),
  ]);
}

/** `--details`: the whole report (every table, warning and note), laid out for the terminal's width. */
export function profileDetails(result: ProfileResult, options: ViewOptions): string {
  return detailsView(renderProfile(result), options);
}
