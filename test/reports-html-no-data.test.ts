import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../src/reports/html/html-report.js';
import { EXACT_WARMUP, onlyProfileResult, runCli, tempDir } from './support/cli.js';

/**
 * A run in which every op fails still writes its result and its reports, and its HTML report's
 * charts, which have nothing to draw, say so instead of handing Vega empty data: Vega then warned
 * of infinite extents, 13 lines of them on the terminal.
 */
describe('saving a run in which every op failed', () => {
  it('writes result.json and the reports, the charts say "no data", and nothing of Vega reaches stderr', async () => {
    const out = tempDir();
    const run = runCli(
      [
        'profile',
        '--kernel',
        'noop',
        '--size',
        '1K',
        '--strategy',
        'fresh',
        '--ops',
        '4',
        '--replicates',
        '1',
        ...EXACT_WARMUP,
        '--out',
        out,
      ],
      // A fresh worker runs one op, its op 1: every op throws.
      { env: { WGPROF_INJECT_FAULT: 'throw@1' } },
    );
    expect(run.status, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/every op failed: injected fault: op 1 throws/);
    expect(run.stderr).not.toMatch(/Infinite extent|chart warning|Log scale domain|\bWARN\b/);

    const result = await onlyProfileResult(out);
    expect(result.runs[0]?.opsOk).toBe(0);
    const [dir = ''] = readdirSync(out);
    expect(readdirSync(join(out, dir)).sort()).toEqual(['report.html', 'report.md', 'result.json']);
    const html = readFileSync(join(out, dir, 'report.html'), 'utf8');
    for (const id of ['profile-latency', 'profile-phases']) {
      const figure = html.slice(html.indexOf(`id="chart-${id}"`));
      expect(figure.slice(0, figure.indexOf('</figure>'))).toMatch(/<p class="no-data">No data: /);
    }
    expect(html).not.toMatch(/<svg/);

    // The page drawn again from the written result: Vega is not asked to draw anything empty.
    const warnings: string[] = [];
    await renderHtml(result, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  }, 120_000);
});
