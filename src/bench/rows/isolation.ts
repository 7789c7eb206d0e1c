import { formatPercent } from '../../reports/units.js';
import { quantile } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, DetailTable, Figure } from '../bench-types.js';
import {
  deviationShare,
  ISOLATION_PHASES,
  mainFigures,
  phaseIsolation,
  type IsolationPair,
  type MainFigures,
  type PhaseIsolation,
} from '../isolation.js';
import { PROFILE_FLAGS, profileJson } from '../profile-json.js';
import { formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

/** The bound: main in the full set within 10% of main alone. */
const ALLOWANCE = 0.1;

const ns = (value: number): string => formatFigure({ value, unit: 'ns' });

async function mainOf(args: readonly string[]): Promise<MainFigures> {
  const run = await profileJson(args);
  const figures = mainFigures(run.result);
  if (!figures) throw new Error(`wgprof profile ${args.join(' ')} measured no main scenario`);
  return figures;
}

/** The pairs, one after another; which side runs first alternates, so neither always follows the other. */
async function runPairs(plan: BenchPlan): Promise<IsolationPair[]> {
  const { pairs, args } = plan.isolation;
  const alone = [...args, '--strategy', 'main'];
  const result: IsolationPair[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      const a = await mainOf(alone);
      result.push({ first: 'alone', alone: a, set: await mainOf(args) });
    } else {
      const s = await mainOf(args);
      result.push({ first: 'set', set: s, alone: await mainOf(alone) });
    }
  }
  return result;
}

function ratioText(p: PhaseIsolation): string {
  return `${p.ratio.toFixed(3)}x [${p.low.toFixed(3)}, ${p.high.toFixed(3)}]`;
}

function phasesTable(phases: readonly PhaseIsolation[], pairs: number): DetailTable {
  return {
    title: `main's phases, in the full set and alone (medians over ${pairs} pairs; set / alone: median of the pairs' ratios, 95% CI)`,
    header: ['phase', 'in the set', 'alone', 'set / alone', `pairs within ${ALLOWANCE * 100}%`],
    rows: phases.map((p) => [
      p.phase,
      ns(p.setNs),
      ns(p.aloneNs),
      ratioText(p),
      `${p.within}/${p.ratios.length}`,
    ]),
  };
}

/** A run's replicates as `lowest to highest`: how far one process's main moved from the next. */
function replicateRange(m: MainFigures): string {
  const t = m.replicateTotalsNs;
  return t.length === 0 ? '-' : `${ns(Math.min(...t))} to ${ns(Math.max(...t))}`;
}

function pairsTable(pairs: readonly IsolationPair[], total: PhaseIsolation): DetailTable {
  return {
    title: "each pair: main's median total per op, and its replicates' medians in each run",
    header: ['pair', 'first', 'alone', 'in the set', 'set / alone', 'alone: replicates', 'set: replicates'],
    rows: pairs.map((p, i) => [
      String(i + 1),
      p.first,
      ns(p.alone.medianNs.total ?? Number.NaN),
      ns(p.set.medianNs.total ?? Number.NaN),
      `${(total.ratios[i] ?? Number.NaN).toFixed(3)}x`,
      replicateRange(p.alone),
      replicateRange(p.set),
    ]),
  };
}

/** The spread of one process's main total against the next, over every run of the row: the machine's noise. */
function replicateSpread(pairs: readonly IsolationPair[]): string {
  const totals = pairs.flatMap((p) => [...p.alone.replicateTotalsNs, ...p.set.replicateTotalsNs]);
  if (totals.length < 2) return '';
  return (
    ` Main's replicates (a process each) over all ${pairs.length * 2} runs: middle half ${ns(quantile(totals, 0.25))} ` +
    `to ${ns(quantile(totals, 0.75))}, all ${ns(Math.min(...totals))} to ${ns(Math.max(...totals))}.`
  );
}

/**
 * 11a and 11b: isolation, as issue 12 checks it: alternating pairs of `wgprof profile --strategy
 * main` and the full default set (scale 1K, --ops 200). 11a: main's total in the set over alone,
 * the median of the pairs' own ratios with its CI (what the arrangement does, beyond the drift
 * both sides of a pair share); 11b: the pairs each within 10%, as the issue's three pairs are asked.
 */
export async function isolationRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const { args } = plan.isolation;
  const pairs = await runPairs(plan);
  const phases = ISOLATION_PHASES.flatMap((phase) => phaseIsolation(pairs, phase, ALLOWANCE) ?? []);
  const total = phases.find((p) => p.phase === 'total');
  if (!total) throw new Error("no pair measured main's total on both sides");
  const profile = `wgprof profile ${args.join(' ')}`;
  const ran =
    `${pairs.length} alternating pairs of \`${profile} --strategy main\` and \`${profile}\` (the full default set), ` +
    `each with ${PROFILE_FLAGS.join(' ')}, one after another`;
  const share = deviationShare(total, ALLOWANCE);
  const shareFigure: Figure = { value: share.value, unit: 'x', low: share.low, high: share.high };
  const others = phases
    .filter((p) => p.phase !== 'total')
    .map((p) => `${p.phase} ${ratioText(p)}`)
    .join(', ');
  const tables = [phasesTable(phases, pairs.length), pairsTable(pairs, total)];
  const details = { args, allowance: ALLOWANCE, pairs, phases };
  const withinShare = total.within / total.ratios.length;
  return [
    completedRow({
      id: '11a',
      measure: `isolation: main's median total in the full default set over main alone, median of ${pairs.length} pairs' ratios, ${profile}`,
      wgprof: { value: total.setNs, unit: 'ns' },
      baseline: { value: total.aloneNs, unit: 'ns' },
      ratio: { value: total.ratio, unit: 'x', low: total.low, high: total.high },
      target: {
        text: `within ${ALLOWANCE * 100}% of alone: |ratio - 1| / ${ALLOWANCE} <= 1`,
        direction: 'at-most',
        limit: 1,
        checked: shareFigure,
      },
      note:
        `${ran}. Each run's figure is main's pooled median (its replicates, a measuring process each); the ratio is ` +
        `the median of the pairs' own set / alone, its CI a bootstrap over the pairs. Other phases: ${others}.` +
        replicateSpread(pairs),
      details,
      tables,
    }),
    completedRow({
      id: '11b',
      measure: `isolation: pairs of 11a in which main in the set is within ${ALLOWANCE * 100}% of main alone`,
      wgprof: { value: withinShare, unit: 'share' },
      target: {
        text: 'every pair',
        direction: 'at-least',
        limit: 1,
        checked: { value: withinShare, unit: 'share' },
      },
      note:
        `${total.within} of ${total.ratios.length} pairs within ${ALLOWANCE * 100}%; set / alone per pair: ` +
        `${total.ratios.map((r) => r.toFixed(3)).join(', ')} (${formatPercent(withinShare)}).`,
    }),
  ];
}
