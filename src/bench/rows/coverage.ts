import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIn, formatPercent, unitFor } from '../../reports/units.js';
import type { ProfileResult } from '../../results/result-types.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow } from '../bench-types.js';
import {
  repeatOf,
  scenarioCoverage,
  worstCoverage,
  type PairCoverage,
  type Repeat,
  type ScenarioCoverage,
} from '../coverage.js';
import { PROFILE_FLAGS as FLAGS, profileJson } from '../profile-json.js';
import { completedRow } from '../verdict.js';

interface RepeatRecord {
  readonly wallNs: number;
  readonly rounds: ProfileResult['rounds'];
  readonly scenarios: Repeat;
}

/** Runs the plan's repeats one after another; keeps each one's JSON in rawDir if there is one. */
async function runRepeats(plan: BenchPlan): Promise<RepeatRecord[]> {
  const { repeats, args, rawDir } = plan.coverage;
  if (rawDir !== undefined) await mkdir(rawDir, { recursive: true });
  const records: RepeatRecord[] = [];
  for (let r = 0; r < repeats; r++) {
    const run = await profileJson(args);
    if (rawDir !== undefined) await writeFile(join(rawDir, `repeat-${r + 1}.json`), run.text);
    records.push({ wallNs: run.wallNs, rounds: run.result.rounds, scenarios: repeatOf(run.result) });
  }
  return records;
}

/** "pool/1 17/20 (85.0%)": a scenario's coverage, of its CIs or of its rerun intervals. */
function coverageText(label: string, c: PairCoverage | undefined): string {
  return c ? `${label} ${c.covered}/${c.pairs} (${formatPercent(c.share)})` : `${label} -`;
}

function spreadText(s: ScenarioCoverage): string {
  const unit = unitFor(s.medianSpread.min);
  const medians = s.medians.map((m) => formatIn(m, unit)).join(', ');
  return (
    `${s.label} ${medians} ${unit.label} (max/min - 1 = ${formatPercent(s.medianSpread.relativeRange)}, ` +
    `CV ${formatPercent(s.medianSpread.cv)})`
  );
}

/**
 * 6a and 6b: N independent repeats of the default profile. 6a: for each scenario but main, over
 * the ordered pairs of repeats (i, j), i != j, the share in which repeat i's `vs main` 95% CI holds
 * repeat j's estimate; the row's figure is the worst scenario's. 6b: how far each scenario's
 * median total moves from repeat to repeat. 6c: 6a's pairs with the rerun intervals (`vsMain.rerun`),
 * the interval meant to hold another run's estimate; absent when the repeats have none (one replicate).
 */
export async function coverageRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const { args, repeats } = plan.coverage;
  if (repeats < 2) throw new Error(`coverage needs at least 2 repeats, the plan has ${repeats}`);
  const records = await runRepeats(plan);
  const scenarios = scenarioCoverage(records.map((r) => r.scenarios));
  const worst = worstCoverage(scenarios);
  if (!worst?.coverage) throw new Error('no scenario had a vs main CI in the repeats');
  const profile = `wgprof profile ${args.join(' ')}`.trimEnd();
  const pairs = repeats * (repeats - 1);
  const ran =
    `${repeats} repeats of \`${profile} ${FLAGS.join(' ')}\`, each its own process, one after another ` +
    `(${records.map((r) => `${r.rounds.count} rounds, ${(r.wallNs / 1e9).toFixed(0)} s`).join('; ')})`;
  const perScenario = scenarios
    .filter((s) => s.coverage)
    .map((x) => coverageText(x.label, x.coverage))
    .join(', ');
  const figure = { value: worst.coverage.share, unit: 'share' } as const;
  const coverageRow = completedRow({
    id: '6a',
    measure: `coverage: repeat pairs in which one repeat's vs main 95% CI holds the other's estimate, worst scenario, ${repeats} repeats of ${profile}`,
    wgprof: figure,
    target: {
      text: '>= 90% of pairs, every scenario',
      direction: 'at-least',
      limit: 0.9,
      checked: figure,
    },
    note:
      `${ran}. Pairs are ordered: (i, j) and (j, i) are two, ${pairs} in all, since a wide CI can hold a narrow one's ` +
      `estimate and not the other way round. Per scenario: ${perScenario}; ` +
      `worst: ${worst.label}. Main is left out: its vs main is itself, 1 by construction.`,
    details: {
      args,
      repeats: records,
      scenarios: scenarios.map(({ label, repeats: n, vsMain, coverage }) => ({
        label,
        repeats: n,
        vsMain,
        coverage,
      })),
    },
  });
  const widest = scenarios.reduce((a, b) =>
    b.medianSpread.relativeRange > a.medianSpread.relativeRange ? b : a,
  );
  const spreadRow = completedRow({
    id: '6b',
    measure: `coverage: spread of each scenario's median total across the ${repeats} repeats of 6a (largest max/min - 1)`,
    wgprof: { value: widest.medianSpread.relativeRange, unit: 'share' },
    note:
      `each scenario's median total per repeat, in repeat order: ${scenarios.map(spreadText).join('; ')}. ` +
      `Widest: ${widest.label}. CV is the sample standard deviation (n - 1) over the mean.`,
    details: {
      scenarios: scenarios.map(({ label, medians, medianSpread }) => ({ label, medians, medianSpread })),
    },
  });
  const worstRerun = worstCoverage(scenarios, 'rerun');
  if (!worstRerun?.rerunCoverage) return [coverageRow, spreadRow];
  const rerunFigure = { value: worstRerun.rerunCoverage.share, unit: 'share' } as const;
  const rerunRow = completedRow({
    id: '6c',
    measure: `coverage: repeat pairs of 6a in which one repeat's vs main rerun interval (95%) holds the other's estimate, worst scenario`,
    wgprof: rerunFigure,
    target: {
      text: '>= 90% of pairs, every scenario',
      direction: 'at-least',
      limit: 0.9,
      checked: rerunFigure,
    },
    note:
      `the same ${pairs} ordered pairs as 6a, with each repeat's \`vsMain.rerun\` (the CI's reach times sqrt(2) on the log scale: ` +
      `two runs' estimates differ by two errors, so a calibrated 95% CI holds a rerun's estimate in about 83% of pairs with normal errors, 89-91% with a t quantile on 2-3 replicates: worked out, not measured). ` +
      `Per scenario: ${scenarios
        .filter((x) => x.rerunCoverage)
        .map((x) => coverageText(x.label, x.rerunCoverage))
        .join(', ')}; worst: ${worstRerun.label}.`,
    details: {
      scenarios: scenarios.map(({ label, vsMain, rerunCoverage }) => ({ label, vsMain, rerunCoverage })),
    },
  });
  return [coverageRow, spreadRow, rerunRow];
}
