import { steadySamples } from '../src/results/steady-samples.js';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PHASE_LABEL } from '../src/op/phases.js';
import {
  batchPoints,
  batchingUnit,
  chartsFor,
  componentBars,
  evenlyRanked,
  latencyPoints,
  MAX_POINTS_PER_SCENARIO,
  phaseSegments,
  profileUnit,
  scenarioName,
} from '../src/reports/html/charts.js';
import { blocksHtml, countedLines, renderHtml } from '../src/reports/html/html-report.js';
import { renderSvg, textWidth } from '../src/reports/html/render-svg.js';
import type { AnyResult, ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { runCli } from './support/cli.js';

/** Runs the real CLI (`wgprof KIND ...args`) and returns its result JSON, or fails with what it printed. */
function resultOf<K extends AnyResult['kind']>(
  kind: K,
  args: readonly string[],
): Extract<AnyResult, { kind: K }> {
  const run = runCli([kind, ...args]);
  if (run.status !== 0)
    throw new Error(`wgprof ${kind} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as Extract<AnyResult, { kind: K }>;
  if (result.kind !== kind) throw new Error(`wgprof ${kind} wrote a ${result.kind} result`);
  return result;
}

// Real, small runs of each command, as a user runs them.
const profile = resultOf('profile', [
  '--strategy',
  'all',
  '--kernel',
  'noop',
  '--size',
  '1K',
  '--ops',
  '20',
  '--warmup',
  '2',
  '--json',
  '--no-save',
]);
const breakdown = resultOf('breakdown', [
  '--kernel',
  'noop',
  '--size',
  '1K',
  '--reps',
  '2',
  '--json',
  '--no-save',
]);
const sync = resultOf('sync', ['--reps', '2', '--json', '--no-save']);
const results: Record<AnyResult['kind'], AnyResult> = { profile, breakdown, sync };

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');

/** The run with its records replaced: `totals[i]` for op i, the given cold and failed ops. */
function withRecords(
  run: StrategyResult,
  totals: (number | null)[],
  cold: number[],
  failed: number[],
): StrategyResult {
  return {
    ...run,
    records: {
      ...run.records,
      startNs: totals.map((_, i) => i * 1000),
      totalNs: totals,
      cold,
      // Every op untimed: these records test which ops are steady and ok, not which were timed.
      timing: totals.map(() => 0),
      failures: failed.map((index) => ({ index, status: 'failed' as const, message: 'injected' })),
    },
  };
}

describe('the chart specs of real results', () => {
  it.each(['profile', 'breakdown', 'sync'] as const)(
    'of a %s result compile and draw marks, without a warning',
    async (kind) => {
      const charts = chartsFor(results[kind]);
      expect(charts.length).toBeGreaterThan(0);
      expect(new Set(charts.map((c) => c.id)).size).toBe(charts.length);
      for (const chart of charts) {
        const warnings: string[] = [];
        const svg = await renderSvg(chart.spec, { onWarning: (m) => warnings.push(m) });
        expect(warnings, chart.id).toEqual([]);
        expect(svg.startsWith('<svg'), chart.id).toBe(true);
        // Data marks sit in groups of role "mark"; axes and legends have roles of their own.
        expect(svg, chart.id).toMatch(/class="mark-[a-z]+ role-mark[^"]*"[^>]*>\s*<(path|line|rect)/);
      }
    },
  );

  it('has the charts each kind promises', () => {
    expect(chartsFor(profile).map((c) => c.id)).toEqual(['profile-latency', 'profile-phases']);
    expect(chartsFor(breakdown).map((c) => c.id)).toEqual(['breakdown-components']);
    expect(chartsFor(sync).map((c) => c.id)).toEqual(['sync-completion', 'sync-batching']);
  });

  it('plots every scenario of the profile, and only its steady, ok ops', () => {
    const unit = profileUnit(profile);
    const points = latencyPoints(profile, unit);
    for (const run of profile.runs) {
      const mine = points.filter((p) => p.scenario === scenarioName(run)).map((p) => p.latency);
      expect(mine.length, run.label).toBe(run.summary.total?.n);
    }
    const main = profile.runs.find((r) => r.strategy === 'main');
    if (!main) throw new Error('no main run');
    // Op 0 is cold, op 1 failed, op 3 has no total: only 2 and 4 are steady and ok.
    const edited = withRecords(main, [5e6, 6e6, 7e6, null, 8e6], [0], [1]);
    expect(steadySamples(edited, 'total')).toEqual([7e6, 8e6]);
    // A fresh worker per op has only cold ops: they are its figures.
    expect(steadySamples({ ...edited, everyOpCold: true }, 'total')).toEqual([5e6, 7e6, 8e6]);
  });

  it('caps the points per scenario at evenly spaced ranks, keeping the extremes', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => ((i * 7919) % 10_000) + 1);
    const sample = evenlyRanked(values, 100);
    expect(sample).toHaveLength(100);
    expect(sample[0]).toBe(1);
    expect(sample[99]).toBe(10_000);
    expect(sample).toEqual([...sample].sort((a, b) => a - b));
    expect(evenlyRanked(values, 100)).toEqual(sample);
    expect(evenlyRanked([3, 1, 2], 100)).toEqual([1, 2, 3]);

    const main = profile.runs[0];
    if (!main) throw new Error('no run');
    const many = withRecords(
      main,
      values.map((v) => v * 1000),
      [],
      [],
    );
    const big = { ...profile, runs: [many] };
    expect(latencyPoints(big, profileUnit(big))).toHaveLength(MAX_POINTS_PER_SCENARIO);
  });

  it("draws the sequential phases' medians in ms, never kernel (GPU)", () => {
    const segments = phaseSegments(profile);
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.some((s) => s.phase === PHASE_LABEL.kernelGpu)).toBe(false);
    const main = profile.runs.find((r) => r.strategy === 'main');
    const sync = segments.find((s) => s.scenario === 'main' && s.phase === PHASE_LABEL.sync);
    expect(sync?.ms).toBeCloseTo((main?.summary.sync?.median ?? NaN) / 1e6, 12);
  });

  it("draws each measured breakdown row's median, and sync's fitted line", () => {
    expect(componentBars(breakdown)).toHaveLength(breakdown.rows.filter((r) => r.summary).length);
    const fit = sync.batching.fit;
    if (!fit) throw new Error('the sync result has no fit');
    const unit = batchingUnit(sync);
    const line = batchPoints(sync, unit).filter((p) => p.series.startsWith('fit'));
    expect(line).toHaveLength(2);
    for (const p of line) expect(p.time).toBeCloseTo((fit.intercept + fit.slope * p.k) / unit.ns, 9);
  });

  it("measures text in the charts' font", () => {
    expect(textWidth('', 11)).toBe(0);
    expect(textWidth('iiii', 11)).toBeLessThan(textWidth('WWWW', 11));
    expect(textWidth('WWWW', 11, true)).toBeGreaterThan(textWidth('WWWW', 11));
    expect(textWidth('0', 1000)).toBeCloseTo(636 * 1.03, 6);
  });
});

describe('the HTML report', () => {
  it.each(['profile', 'breakdown', 'sync'] as const)(
    'of a %s result is one page of its own',
    async (kind) => {
      const result = results[kind];
      const html = await renderHtml(result, { onWarning: (m) => expect.fail(m) });
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain(`<h1>wgprof ${kind} report</h1>`);
      expect(html).toContain('<table>');
      expect(html.match(/<figure class="chart"/g)).toHaveLength(chartsFor(result).length);
      expect(html.match(/<svg /g)).toHaveLength(chartsFor(result).length);
      // Nothing to load: no script, stylesheet, font or image from anywhere.
      expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(|\ssrc=/i);
      const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
      expect(urls.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
    },
  );

  it('escapes every piece of text from the result file', async () => {
    const evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const [first, ...others] = profile.runs;
    if (!first) throw new Error('no run');
    const tampered: ProfileResult = {
      ...profile,
      command: ['wgprof', 'profile', evil],
      createdAt: evil,
      nativeMessages: [evil, evil],
      device: { ...profile.device, description: evil },
      environment: { ...profile.environment, cpu: { ...profile.environment.cpu, model: evil } },
      runs: [{ ...first, label: evil }, ...others],
    };
    const html = await renderHtml(tampered, { onWarning: () => undefined });
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img');
    // In the charts too: the scenario's name is an axis label inside the SVG.
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(0);
    expect(svgs.some((svg) => svg.includes('&lt;script&gt;'))).toBe(true);

    const breakdownLabel = {
      ...breakdown,
      rows: breakdown.rows.map((r) => ({ ...r, label: `${r.label} </text>${evil}` })),
    };
    const page = await renderHtml(breakdownLabel, { onWarning: () => undefined });
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  it('turns the text tables into HTML tables, and shows a table it cannot read as text', () => {
    const html = blocksHtml(['Scenarios:', '| A | B |\n| :- | -: |\n| x & y | 1.5 |', 'a line\nanother']);
    expect(html).toContain('<caption>Scenarios</caption>');
    expect(html).toContain('<th scope="col" class="right">B</th>');
    expect(html).toContain('<td>x &amp; y</td><td class="right">1.5</td>');
    expect(html).toContain('<p>a line<br>another</p>');
    // A cell holding a '|' would shift the cells after it: kept as preformatted text instead.
    expect(blocksHtml(['| A | B |\n| :- | -: |\n| a | b | c |'])).toMatch(/^<pre>\| A \| B \|/);
    expect(countedLines(['a', 'b', 'a'])).toEqual(['2 x a', 'b']);
  });
});

const MISSING_BROWSER =
  `No browser at ${CHROMIUM}: install Debian's chromium package (sudo bash scripts/setup-browser.sh, ` +
  'or apt-get install -y --no-install-recommends chromium), then run the tests again.';

describe('the HTML report in a real browser (headless Chromium)', () => {
  // Launched by the first test that needs it, so that a missing browser fails each test, by name.
  let launched: Promise<Browser> | undefined;
  const browser = (): Promise<Browser> => {
    launched ??= chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return launched;
  };

  afterAll(async () => {
    if (launched) await (await launched).close();
  });

  it.each(['profile', 'breakdown', 'sync'] as const)(
    'opens the %s report offline, with no error, every chart drawn, and screenshots it',
    async (kind) => {
      expect(existsSync(CHROMIUM), MISSING_BROWSER).toBe(true);
      mkdirSync(ARTIFACTS, { recursive: true });
      const result = results[kind];
      const file = join(ARTIFACTS, `report-${kind}.html`);
      writeFileSync(file, await renderHtml(result, { onWarning: (m) => expect.fail(m) }));
      const url = pathToFileURL(file).href;

      const page = await (await browser()).newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      try {
        await page.goto(url, { waitUntil: 'load' });
        expect(await page.title()).toContain(`wgprof ${kind} report`);

        for (const chart of chartsFor(result)) {
          const svg = page.locator(`figure[data-chart="${chart.id}"] svg`);
          expect(await svg.count(), chart.id).toBe(1);
          const box = await svg.boundingBox();
          expect(box?.width ?? 0, chart.id).toBeGreaterThan(100);
          expect(box?.height ?? 0, chart.id).toBeGreaterThan(100);
          const marks = svg.locator('g.role-mark > path, g.role-mark > rect, g.role-mark > line');
          expect(await marks.count(), chart.id).toBeGreaterThan(0);
          // Axis labels are laid out and drawn: text with a real size on the page (a log axis leaves
          // some of its labels empty).
          const label = svg.locator('g.role-axis-label text').filter({ hasText: /\S/ }).first();
          expect((await label.boundingBox())?.width ?? 0, chart.id).toBeGreaterThan(0);
        }
        expect(await page.locator('table').count()).toBeGreaterThan(0);

        const png = join(ARTIFACTS, `report-${kind}.png`);
        await page.screenshot({ path: png, fullPage: true });
        expect(statSync(png).size).toBeGreaterThan(10_000);
      } finally {
        await page.close();
      }
      expect(errors).toEqual([]);
      // Self-contained: the page asked for nothing but itself.
      expect(requests).toEqual([url]);
    },
  );
});
