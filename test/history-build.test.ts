import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHistory, byTime } from '../src/history/build-history.js';
import { groupIdentity } from '../src/history/group-key.js';
import { chartUnit, historyChart } from '../src/history/history-chart.js';
import { historyHtml, titlesFromLabels } from '../src/history/history-html.js';
import { historyMarkdown } from '../src/history/history-markdown.js';
import type { ComparedStep, HistoryGroup } from '../src/history/history-types.js';
import { historyDetails, historyView } from '../src/history/history-view.js';
import type { LoadedProfile } from '../src/history/load-profiles.js';
import { totalsOnly } from '../src/history/neighbour-steps.js';
import { provenanceText } from '../src/history/provenance.js';
import { renderSvg } from '../src/reports/html/render-svg.js';
import { PLAIN } from '../src/reports/terminal/style.js';
import { formatDuration, formatIn, unitFor } from '../src/reports/units.js';
import type { Summary } from '../src/statistics/index.js';
import { visibleWidth } from '../src/reports/terminal/wrap.js';
import type { ProfileResult, StrategyResult } from '../src/results/result-types.js';

/** A real profile: scale 1M, five scenarios, three replicates each (2026-12-06, lavapipe). */
const FIVE = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'results', 'profile-five.json'), 'utf8'),
) as ProfileResult;

/** The run with every time of its total multiplied by `factor`: what a slower build would measure. */
function slower(run: StrategyResult, factor: number): StrategyResult {
  const total = run.summary.total;
  return {
    ...run,
    summary: total
      ? {
          ...run.summary,
          total: {
            ...total,
            median: total.median * factor,
            medianCi: {
              ...total.medianCi,
              low: total.medianCi.low * factor,
              high: total.medianCi.high * factor,
            },
          },
        }
      : run.summary,
    replicates: run.replicates?.map((r) => ({
      ...r,
      medianNs: { ...r.medianNs, total: (r.medianNs.total ?? NaN) * factor },
    })),
    records: { ...run.records, totalNs: run.records.totalNs.map((t) => (t === null ? null : t * factor)) },
  } as StrategyResult;
}

/** FIVE at minute `minute`, its totals times `factor`, with `extra` fields on top. */
function runAt(minute: number, factor = 1, extra: object = {}): LoadedProfile {
  const createdAt = new Date(Date.parse('2026-12-06T09:00:00Z') + minute * 60_000).toISOString();
  const result = {
    ...FIVE,
    createdAt,
    runs: FIVE.runs.map((r) => slower(r, factor)),
    ...extra,
  } as ProfileResult;
  return { path: `runs/${String(minute).padStart(2, '0')}/result.json`, result };
}

/** The main scenario's total as FIVE stored it. */
function mainTotal(): Summary {
  const total = FIVE.runs.find((r) => r.label === 'main')?.summary.total;
  if (!total) throw new Error('the fixture has no main total');
  return total;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const onlyGroup = (groups: readonly HistoryGroup[]): HistoryGroup => {
  expect(groups).toHaveLength(1);
  return groups[0] as HistoryGroup;
};

describe('history: groups, order and steps', () => {
  it('orders a group by createdAt, whatever order the files came in, and numbers its runs from 1', () => {
    const history = buildHistory([runAt(3), runAt(1), runAt(2)], [], 0.05);
    const group = onlyGroup(history.groups);
    expect(group.runs.map((r) => r.path)).toEqual([
      'runs/01/result.json',
      'runs/02/result.json',
      'runs/03/result.json',
    ]);
    expect(group.runs.map((r) => r.run)).toEqual([1, 2, 3]);
    expect(group.op).toBe('scale/1M/f32');
    expect(group.scenarios.map((s) => s.scenario)).toEqual([
      'main',
      'fresh (all cold)',
      'reused',
      'pool/1',
      'persistent',
    ]);
    // Same instant: by path, so the disk's order never decides.
    expect([runAt(1), { ...runAt(1), path: 'a/result.json' }].sort(byTime).map((p) => p.path)).toEqual([
      'a/result.json',
      'runs/01/result.json',
    ]);
  });

  it('marks a doubling as a regression and its undoing as an improvement, with the medians of each run', () => {
    const history = buildHistory([runAt(1), runAt(2), runAt(3, 2), runAt(4)], [], 0.05);
    const group = onlyGroup(history.groups);
    for (const series of group.scenarios) {
      const steps = series.points.map((p) => p.step);
      expect(steps[0], series.scenario).toBeUndefined();
      const [, same, up, down] = steps as ComparedStep[];
      expect(['unchanged', 'ambiguous'], series.scenario).toContain(same?.verdict);
      expect(up?.verdict, series.scenario).toBe('regression');
      expect(up?.change).toBeCloseTo(1, 9);
      expect(up?.method).toBe('replicates');
      expect(down?.verdict, series.scenario).toBe('improvement');
      expect(down?.fromRun).toBe(3);
      expect(series.counts.regression).toBe(1);
      expect(series.counts.improvement).toBe(1);
      const run = FIVE.runs.find((r) => series.scenario.startsWith(r.label));
      expect(series.points[2]?.medianNs).toBe((run?.summary.total?.median ?? NaN) * 2);
    }
  });

  it('keeps apart what measures something else: another size, another backend, another host', () => {
    const size = runAt(2, 1, { config: { ...FIVE.config, size: 1024 } });
    const backend = runAt(3, 1, { device: { ...FIVE.device, backend: 'opengles' } });
    const host = runAt(4, 1, {
      environment: { ...FIVE.environment, cpu: { ...FIVE.environment.cpu, model: 'Apple M3' } },
    });
    const history = buildHistory([runAt(1), size, backend, host, runAt(5)], [], 0.05);
    expect(history.groups).toHaveLength(4);
    expect(history.groups.map((g) => g.runs.length).sort()).toEqual([1, 1, 1, 2]);
    expect(new Set(history.groups.map((g) => g.id)).size).toBe(4);
    // What does not change the figures does not split a group: how many ops, the time budget.
    const more = runAt(6, 1, { config: { ...FIVE.config, ops: 5000, timeBudgetMs: 1 } });
    expect(groupIdentity(more.result).key).toBe(groupIdentity(FIVE).key);
    expect(groupIdentity(size.result).op).toBe('scale/1K/f32');
  });

  it('shows the commit and label of the results that record them, and runs without them alike', () => {
    const full = {
      provenance: {
        git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: true },
        label: 'pr-12',
      },
    };
    expect(provenanceText(full.provenance)).toBe('0123456-dirty pr-12');
    expect(provenanceText({ label: 'main' })).toBe('main');
    expect(provenanceText(undefined)).toBe('-');
    const history = buildHistory([runAt(1, 1, full), runAt(2)], [], 0.05);
    const [first, second] = onlyGroup(history.groups).runs;
    expect(first?.provenance).toEqual(full.provenance);
    expect(second?.provenance).toBeUndefined();
    expect(historyMarkdown(history)).toMatch(/\| 0123456-dirty pr-12 \|/);
  });

  it('compares the totals only: the phases are cut from the summaries compare sees', () => {
    for (const run of totalsOnly(FIVE).runs) expect(Object.keys(run.summary)).toEqual(['total']);
    expect(Object.keys(FIVE.runs[0]?.summary ?? {}).length).toBeGreaterThan(1);
  });
});

describe('history: what it prints and draws', () => {
  const history = buildHistory(
    [runAt(1), runAt(2), runAt(3, 2), runAt(4)],
    [{ path: 'bad/result.json', reason: 'is truncated' }],
    0.05,
  );

  it('gives a line per scenario with the first and last median and the marked steps, within 80 columns', () => {
    const view = historyView(history, { width: 80, style: PLAIN });
    expect(view).toContain('wgprof history: 4 profile results in 1 group; 1 file skipped');
    const main = formatDuration(mainTotal().median);
    // Wrapped at 80 columns: one space or a line break and an indent between words.
    const flat = view.replace(/\n {2}/g, ' ');
    expect(flat).toContain(
      `scale/1M/f32 main: ${main} -> ${main} (0.0%) over 4 runs; 1 regression (run 3 +100.0% [`,
    );
    expect(flat).toContain('1 improvement (run 4 -50.0% [');
    for (const line of view.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
    const details = historyDetails(history, { width: 80, style: PLAIN });
    for (const line of details.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
    expect(details).toContain('regression');
  });

  it('writes a Markdown table per scenario, and the skipped files', () => {
    const md = historyMarkdown(history);
    expect(md).toContain('## scale/1M/f32 on llvmpipe: Mesa 25.0.7 (vulkan)');
    expect(md).toContain('### fresh (all cold)');
    const total = mainTotal();
    const unit = unitFor(total.median);
    const doubled = `${formatIn(2 * total.median, unit)} [${formatIn(2 * total.medianCi.low, unit)}, ${formatIn(2 * total.medianCi.high, unit)}]`;
    expect(md).toMatch(
      new RegExp(
        `\\| +3 \\| 2026-12-06 09:03 \\| - +\\| +${escape(doubled)} \\| regression +\\| +\\+100\\.0% \\[`,
      ),
    );
    expect(md).toContain('- bad/result.json: is truncated');
  });

  it("draws each group's chart: it compiles without a warning, has its marks, and hover titles", async () => {
    const chart = historyChart(onlyGroup(history.groups), 0);
    const warnings: string[] = [];
    const svg = await renderSvg(chart.spec, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(svg).toMatch(/class="mark-line role-mark[^"]*"[^>]*>\s*<path/);
    expect(svg).toMatch(/class="mark-area role-mark[^"]*"[^>]*>\s*<path/);
    const titled = titlesFromLabels(svg);
    const titles = [...titled.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    // A point per scenario and run, each with its run, time and step.
    expect(titles).toHaveLength(5 * 4);
    const total = mainTotal();
    const unit = chartUnit(onlyGroup(history.groups));
    const f = (ns: number): string => formatIn(2 * ns, unit);
    expect(titles).toContain(
      `main, run 3 (2026-12-06 09:03 UTC, -): ${f(total.median)} ${unit.label} [${f(total.medianCi.low)}, ${f(total.medianCi.high)}]; +100.0% vs run 2: regression`,
    );
    const html = await historyHtml(history);
    expect(html).toContain('<svg role="img"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
