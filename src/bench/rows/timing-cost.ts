import { fileURLToPath } from 'node:url';
import { messageOf } from '../../errors.js';
import type { BenchPlan } from '../bench-plan.js';
import type { BenchRow, DetailTable, Figure } from '../bench-types.js';
import { mainOnlyArgs, profileJson } from '../profile-json.js';
import { formatCi, formatFigure } from '../render.js';
import { intervalFigure, opCost, perPassCost, type Interval, type OpCost } from '../timing-cost.js';
import { completedRow } from '../verdict.js';

/** The bench's op module, built beside this folder (dist/bench/passes-op.js), as rows 8a/8b use it. */
const PASSES_OP = fileURLToPath(new URL('../passes-op.js', import.meta.url));

/** The op module's two pass counts: the cost per pass is their costs' difference over the extra passes. */
const FEW = 1;
const MANY = 8;

const SIZES = [
  { size: '1K', id: '12a' },
  { size: '1M', id: '12b' },
] as const;

/** One profiled case: its cost of timing, or why there is none (a failed run is data, not a throw). */
type CaseResult =
  | {
      readonly state: 'completed';
      readonly label: string;
      readonly args: readonly string[];
      readonly cost: OpCost;
    }
  | {
      readonly state: 'errored';
      readonly label: string;
      readonly args: readonly string[];
      readonly error: string;
    };

/** `wgprof profile --strategy main` on one case, with the plan's fixed --ops and --replicates. */
async function profileCase(
  label: string,
  caseArgs: readonly string[],
  plan: BenchPlan['timingCost'],
): Promise<CaseResult> {
  // --ops fixed: every case's cost is of the same op counts.
  const args = [...caseArgs, ...mainOnlyArgs(plan.ops, plan.replicates)];
  try {
    const { result } = await profileJson(args);
    const run = result.runs.find((r) => r.strategy === 'main');
    if (!run) throw new Error('its result has no main scenario');
    const cost = opCost(run);
    if (!cost) {
      const why = run.timing?.timestamps.reason ?? 'fewer than 5 ops of each kind, or no timestamp-query';
      throw new Error(`no cost of timing in its result (${why})`);
    }
    return { state: 'completed', label, args, cost };
  } catch (error) {
    return { state: 'errored', label, args, error: messageOf(error) };
  }
}

const ns = (value: number): string => formatFigure({ value, unit: 'ns' });
const withCi = (i: Interval, unit: Figure['unit']): string => {
  const f = intervalFigure(i, unit);
  return `${formatFigure(f)} ${formatCi(f)}`;
};

function casesTable(title: string, first: string, cases: readonly CaseResult[]): DetailTable {
  return {
    title,
    header: [
      first,
      'untimed op (median total)',
      'timed - untimed (95% CI)',
      'share of the untimed op (95% CI)',
      'timed / untimed',
      'GPU time (timed ops)',
      'ops timed / untimed',
      'processes',
    ],
    rows: cases.map((c) =>
      c.state === 'errored'
        ? [c.label, `error: ${c.error}`, '-', '-', '-', '-', '-', '-']
        : [
            c.label,
            ns(c.cost.untimedNs),
            withCi(c.cost.costNs, 'ns'),
            withCi(c.cost.share, 'share'),
            `${c.cost.ratio.value.toFixed(3)}x`,
            ns(c.cost.gpuNs),
            `${c.cost.timedOps} / ${c.cost.untimedOps}`,
            String(c.cost.replicates),
          ],
    ),
  };
}

/** A completed case as a row: the cost, the untimed op as the baseline, timed / untimed as the ratio. */
function costRow(
  id: string,
  measure: string,
  c: Extract<CaseResult, { state: 'completed' }>,
  note: string,
  tables: readonly DetailTable[],
  details: Readonly<Record<string, unknown>>,
): BenchRow {
  return completedRow({
    id,
    measure,
    wgprof: intervalFigure(c.cost.costNs, 'ns'),
    baseline: { value: c.cost.untimedNs, unit: 'ns' },
    ratio: intervalFigure(c.cost.ratio, 'x'),
    note,
    details,
    tables,
  });
}

const HOW =
  "wgprof's own `timing.costNs` (a timed op's median total minus an untimed op's, the two alternating in blocks of 8 in the same " +
  'processes, with its hierarchical-bootstrap 95% CI over the replicates); the share and timed / untimed are over the untimed ' +
  "op's median total, their CIs the cost's CI over it. No target: the cost is the device's.";

/**
 * 12a-12d: what timing costs the op it times, as wgprof measures it on every run (issue 22).
 * 12a/12b: built-in kernels on main at 1K and 1M (the headline the first kernel of the size, the
 * others in its table); 12c: the bench's op module at one pass, where a timed op also has wgprof's
 * instrumentation active; 12d: per extra pass of it, from one and eight passes.
 */
export async function timingCostRows(plan: BenchPlan): Promise<BenchRow[]> {
  const settings = plan.timingCost;
  const rows: BenchRow[] = [];
  const runsText = `\`wgprof profile --strategy main --ops ${settings.ops} --replicates ${settings.replicates}\``;
  for (const { size, id } of SIZES) {
    const kernels = settings.kernels[size];
    const cases: CaseResult[] = [];
    for (const kernel of kernels)
      cases.push(await profileCase(kernel, ['--kernel', kernel, '--size', size], settings));
    const [head] = cases;
    const measure = `cost of timing: ${head?.label ?? '?'} ${size} on main, a timed op's total less an untimed op's`;
    if (head?.state !== 'completed') {
      rows.push({
        state: 'errored',
        id,
        measure,
        error: head ? head.error : `no kernel at ${size} in the plan`,
      });
      continue;
    }
    rows.push(
      costRow(
        id,
        measure,
        head,
        `${HOW} One ${runsText} run per kernel at --size ${size}: ${kernels.join(', ')} (the table).`,
        [
          casesTable(
            `the cost of timing per op at --size ${size}, built-in kernels on main`,
            'kernel',
            cases,
          ),
        ],
        { size, ops: settings.ops, replicates: settings.replicates, cases },
      ),
    );
  }

  const passCases: CaseResult[] = [];
  for (const passes of [FEW, MANY])
    passCases.push(
      await profileCase(
        `${passes} pass${passes === 1 ? '' : 'es'}`,
        ['--op', PASSES_OP, '--op-arg', `passes=${passes}`],
        settings,
      ),
    );
  const [few, many] = passCases;
  const passTable = casesTable(
    'the cost of timing per op of the op module (src/bench/passes-op.ts), by its compute passes',
    'passes',
    passCases,
  );
  const opNote =
    `${HOW} The op module (src/bench/passes-op.ts: a 256 B buffer and its bind group, N passes of one dispatchWorkgroups(1), ` +
    `one submit), ${runsText} with --op; a timed op runs with wgprof's instrumentation active (call counting, timestamps on every ` +
    'pass), an untimed op with it inactive, so the cost is the patches and the timestamps together.';
  const fewMeasure = `cost of timing: op module, ${FEW} pass, per op (instrumentation and timestamps)`;
  if (few?.state === 'completed')
    rows.push(costRow('12c', fewMeasure, few, opNote, [passTable], { ops: settings.ops, cases: passCases }));
  else rows.push({ state: 'errored', id: '12c', measure: fewMeasure, error: few?.error ?? 'not run' });

  const passMeasure = `cost of timing: op module, per extra compute pass ((cost at ${MANY} passes - at ${FEW}) / ${MANY - FEW})`;
  if (few?.state === 'completed' && many?.state === 'completed') {
    const perPass = perPassCost(few.cost.costNs, many.cost.costNs, FEW, MANY);
    rows.push(
      completedRow({
        id: '12d',
        measure: passMeasure,
        wgprof: intervalFigure(perPass, 'ns'),
        note:
          `From the two runs of 12c's op module (${FEW} and ${MANY} passes, the table under 12c): ${withCi(many.cost.costNs, 'ns')} ` +
          `at ${MANY}, ${withCi(few.cost.costNs, 'ns')} at ${FEW}. The CI joins the far ends of the two CIs ` +
          `((low at ${MANY} - high at ${FEW}) / ${MANY - FEW} to (high at ${MANY} - low at ${FEW}) / ${MANY - FEW}): ` +
          'the runs are independent, and adding their half-widths makes it wider than a 95% CI of the difference needs (conservative). No target.',
        details: { few: few.cost, many: many.cost, perPassNs: perPass },
      }),
    );
  } else {
    const failed = [few, many].find((c) => c?.state === 'errored');
    rows.push({
      state: 'errored',
      id: '12d',
      measure: passMeasure,
      error: failed?.state === 'errored' ? `${failed.label}: ${failed.error}` : 'not run',
    });
  }
  return rows;
}
