import { Command } from 'commander';
import type { Comparison } from '../compare/compare-results.js';
import { compareRunSets } from '../compare/compare-run-sets.js';
import { compareDetails, compareView } from '../compare/compare-view.js';
import { renderView, viewOptions, type ViewFlags } from './terminal-view.js';
import { parsePercent } from '../config/size.js';
import { ExitCode, usageError, WgprofError } from '../errors.js';
import { PHASE_LABEL } from '../op/phases.js';
import { readResultFile } from '../results/read-result.js';
import { formatPercent } from '../reports/units.js';
import type { ProfileResult } from '../results/result-types.js';

const USAGE = 'wgprof compare BASE[,BASE...] NEW[,NEW...] [--threshold 5%] [--fail-on-regression] [--json]';

interface CompareFlags extends ViewFlags {
  threshold: string;
  failOnRegression?: boolean;
  json?: boolean;
}

/** Reads a result file and insists that it is a profile result, the only kind with per-op records. */
async function readProfile(path: string): Promise<ProfileResult> {
  const result = await readResultFile(path);
  if (result.kind !== 'profile') {
    throw usageError(
      `${path} is a ${result.kind} result; compare needs two profile results (usage: ${USAGE})`,
    );
  }
  return result;
}

/** "2 regressions beyond +5.0%: main total, main kernel (CPU)". */
export function regressionMessage(comparison: Comparison): string {
  const which = comparison.scenarios.flatMap((s) =>
    s.metrics
      .filter((m) => m.verdict === 'regression')
      .map((m) => `${s.label} ${m.key === 'total' ? 'total' : PHASE_LABEL[m.key]}`),
  );
  const shown = which.length > 5 ? [...which.slice(0, 5), `and ${which.length - 5} more`] : which;
  return `${which.length} ${which.length === 1 ? 'regression' : 'regressions'} beyond +${formatPercent(comparison.threshold)}: ${shown.join(', ')}`;
}

/**
 * `wgprof compare BASE NEW`: each scenario's phases, base against new, with CIs, p-values and
 * verdicts. Exits 0 unless --fail-on-regression is given and something regressed (exit 3).
 */
export function compareCommand(): Command {
  return new Command('compare')
    .description(
      "compare two profile results: each scenario's phase medians, the change with its 95% CI, a Mann-Whitney p-value and a verdict",
    )
    .argument('<base>', 'the reference result.json (a profile result); several runs: comma-separated')
    .argument('<new>', 'the result.json to judge against it; several runs: comma-separated')
    .option('--threshold <share>', 'the smallest change of a median that counts, e.g. 5% or 0.05', '5%')
    .option('--fail-on-regression', 'exit with code 3 when any phase of any scenario regressed')
    .option('--json', 'print the comparison as JSON')
    .option('--details', 'print every phase of every scenario, and the environments side by side')
    .option('--no-color', 'no color, even on a terminal (NO_COLOR does the same)')
    .action(async (basePath: string, newPath: string, flags: CompareFlags) => {
      const threshold = parsePercent(flags.threshold, '--threshold');
      const bases = await Promise.all(basePath.split(',').map(readProfile));
      const nexts = await Promise.all(newPath.split(',').map(readProfile));
      let comparison: Comparison;
      try {
        comparison = compareRunSets(bases, nexts, { threshold });
      } catch (error) {
        if (error instanceof RangeError) throw usageError(`${error.message} (usage: ${USAGE})`);
        throw error;
      }
      const names = { base: basePath, new: newPath };
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(comparison)}\n`
          : renderView(
              {
                view: (c: Comparison, o) => compareView(c, names, o),
                details: (c: Comparison, o) => compareDetails(c, names, o),
              },
              comparison,
              flags,
              viewOptions(flags),
            ),
      );
      if (flags.failOnRegression && comparison.counts.regression > 0) {
        throw new WgprofError(regressionMessage(comparison), ExitCode.regression);
      }
    });
}
