import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProfileResult } from '../../results/result-types.js';
import type { BenchPlan } from '../bench-plan.js';
import type { BenchRow, Figure } from '../bench-types.js';
import { medianFigure } from '../figures.js';
import { CLI, profileJson, runNode } from '../profile-json.js';
import { formatCi, formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

/** Issue 26's bound: `wgprof history` over 1,000 results in at most 5 s. */
const TARGET_NS = 5e9;

/**
 * `count` copies of the given results in run folders of a new temporary folder, alternating so
 * that neighbours differ (each step is a real comparison), each a minute after the one before.
 */
function resultsFolder(sources: readonly ProfileResult[], count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'wgprof-bench-history-'));
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length];
    if (!source) throw new Error('history: no profile result to copy');
    const run = join(dir, `run-${String(i).padStart(5, '0')}`);
    mkdirSync(run);
    writeFileSync(
      join(run, 'result.json'),
      JSON.stringify({ ...source, createdAt: new Date(start + i * 60_000).toISOString() }),
    );
  }
  return dir;
}

/**
 * Row 15: `wgprof history` over a folder of profile results, the terminal view and the HTML page
 * with its chart, each timed from the command to its exit, `repeats` times. The results are two
 * real profiles (with replicates, as the default writes them, and one without: compared op
 * against op, the slower case), copied alternately.
 */
export async function historyRows(plan: BenchPlan): Promise<BenchRow[]> {
  const settings = plan.history;
  const sources: ProfileResult[] = [];
  for (const args of settings.profiles) sources.push((await profileJson(args)).result);
  const dir = resultsFolder(sources, settings.results);
  try {
    const time = async (args: readonly string[]): Promise<Figure> => {
      const walls: number[] = [];
      for (let i = 0; i < settings.repeats; i++)
        walls.push(
          (await runNode([CLI, 'history', dir, ...args], `wgprof history ${args.join(' ')}`)).wallNs,
        );
      return medianFigure(walls, 'ns');
    };
    const view = await time([]);
    const html = await time(['--format', 'html', '--out', join(dir, 'history.html')]);
    const worst = html.value >= view.value ? html : view;
    return [
      completedRow({
        id: '15',
        measure: `wgprof history over ${settings.results.toLocaleString('en-US')} profile results`,
        wgprof: view,
        target: { text: '<= 5 s', direction: 'at-most', limit: TARGET_NS, checked: worst },
        note:
          `terminal view ${formatFigure(view)} ${formatCi(view)}, --format html with its chart ${formatFigure(html)} ` +
          `${formatCi(html)}; medians of ${settings.repeats} runs of the built CLI, each from its start to its exit, ` +
          `over ${settings.results} copies of ${sources.length} real profiles (alternating, so every step is compared)`,
        details: { results: settings.results, repeats: settings.repeats, viewNs: view, htmlNs: html },
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
