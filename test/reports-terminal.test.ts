import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRunSets } from '../src/compare/compare-run-sets.js';
import type { DoctorReport } from '../src/device/doctor.js';
import { renderProfile } from '../src/reports/profile-report.js';
import { breakdownDetails, breakdownView } from '../src/reports/terminal/breakdown-view.js';
import { compareDetails, compareView } from '../src/compare/compare-view.js';
import { doctorDetails, doctorView } from '../src/reports/terminal/doctor-view.js';
import { layoutMarkdown, parseTable, tableCells } from '../src/reports/terminal/markdown-layout.js';
import { profileDetails, profileView } from '../src/reports/terminal/profile-view.js';
import { colorWanted, makeStyle, terminalWidth } from '../src/reports/terminal/style.js';
import { syncDetails, syncView } from '../src/reports/terminal/sync-view.js';
import { fitTable } from '../src/reports/terminal/text-table.js';
import { traceDetails, traceView } from '../src/reports/terminal/trace-view.js';
import type { ViewOptions } from '../src/reports/terminal/view-parts.js';
import { visibleWidth, wrapText } from '../src/reports/terminal/wrap.js';
import type { BreakdownResult, ProfileResult, SyncResult, TraceResult } from '../src/results/result-types.js';

/**
 * The terminal views of every command, on stored results of real runs (test/fixtures/results,
 * lavapipe): no line past the width at 80, 100 and 120 columns, in the default view and with
 * --details; no escape codes without color; the default views as snapshots.
 */
const FIXTURES = join(import.meta.dirname, 'fixtures', 'results');
const read = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const profile = read('profile-five.json') as ProfileResult;
const profileAgain = read('profile-five-again.json') as ProfileResult;
const breakdown = read('breakdown.json') as BreakdownResult;
const sync = read('sync.json') as SyncResult;
const trace = read('trace.json') as TraceResult;
const doctor = read('doctor.json') as DoctorReport;
const comparison = compareRunSets([profile], [profileAgain], { threshold: 0.05 });
const names = { base: 'base/result.json', new: 'new/result.json' };

const WIDTHS = [80, 100, 120] as const;
const PATH = 'results/2026-12-06T00-00-00-000Z-profile/result.json';
const plain = (width: number): ViewOptions => ({ width, style: makeStyle(false), resultPath: PATH });
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[/;

const VIEWS: Record<string, { view: (o: ViewOptions) => string; details: (o: ViewOptions) => string }> = {
  profile: { view: (o) => profileView(profile, o), details: (o) => profileDetails(profile, o) },
  breakdown: { view: (o) => breakdownView(breakdown, o), details: (o) => breakdownDetails(breakdown, o) },
  sync: { view: (o) => syncView(sync, o), details: (o) => syncDetails(sync, o) },
  compare: {
    view: (o) => compareView(comparison, names, o),
    details: (o) => compareDetails(comparison, names, o),
  },
  trace: { view: (o) => traceView(trace, o), details: (o) => traceDetails(trace, o) },
  doctor: { view: (o) => doctorView(doctor, o), details: (o) => doctorDetails(doctor, o) },
};

const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));

describe('text for a terminal', () => {
  it('wraps prose at spaces under a hanging indent, and cuts a word longer than a line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('one two three', 10, '- ', '  ')).toEqual(['- one two', '  three']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('counts escape codes as no column', () => {
    expect(visibleWidth(makeStyle(true).dim('abc'))).toBe(3);
  });

  it('prints a table that fits as it is, splits one that does not, and turns one of prose on its side', () => {
    const table = { header: ['name', 'a', 'b'], rows: [['x', '1', '22']], align: ['l', 'r', 'r'] as const };
    expect(fitTable(table, 80)).toEqual(['name  a   b', 'x     1  22']);
    const wide = { header: ['name', 'aaaaaaaa', 'bbbbbbbb'], rows: [['x', '1', '2']] };
    expect(fitTable(wide, 16)).toEqual([
      'name  aaaaaaaa',
      'x            1',
      '',
      'name  bbbbbbbb',
      'x            2',
    ]);
    const prose = { header: ['name', 'verdict'], rows: [['x', 'a long sentence that cannot fit']] };
    const side = fitTable(prose, 20);
    expect(side[0]).toBe('x');
    expect(side.every((l) => l.length <= 20)).toBe(true);
    expect(side.join(' ')).toMatch(/verdict: a long/);
  });

  it("reads a Markdown table's cells, escaped pipes and bold marks included", () => {
    expect(tableCells('| a | b \\| c | **no** |')).toEqual(['a', 'b | c', 'no']);
    const t = parseTable(['| x | y |', '| :-- | --: |', '| 1 | 2 |']);
    expect(t).toEqual({ header: ['x', 'y'], rows: [['1', '2']], align: ['l', 'r'] });
    expect(layoutMarkdown('- item text\n\n| x | y |\n| :-- | --: |\n| 1 | 2 |', 80)).toEqual([
      '- item text',
      '',
      'x  y',
      '1  2',
    ]);
  });

  it('colors a terminal only: never piped, with NO_COLOR or --no-color; FORCE_COLOR forces it', () => {
    expect(colorWanted({ isTTY: true }, {}, false)).toBe(true);
    expect(colorWanted({ isTTY: false }, {}, false)).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' }, false)).toBe(false);
    expect(colorWanted({ isTTY: true }, {}, true)).toBe(false);
    expect(colorWanted({ isTTY: false }, { FORCE_COLOR: '1' }, false)).toBe(true);
  });

  it("takes the terminal's width, COLUMNS, or 80 when it is unknown", () => {
    expect(terminalWidth({ isTTY: true, columns: 132 }, {})).toBe(132);
    expect(terminalWidth({ isTTY: false }, {})).toBe(80);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '100' })).toBe(100);
  });
});

describe.each(Object.keys(VIEWS))('%s', (command) => {
  const views = VIEWS[command] ?? { view: () => '', details: () => '' };
  it.each(WIDTHS)('has no line wider than %i columns, in the default view and with --details', (width) => {
    expect(widest(views.view(plain(width)))).toBeLessThanOrEqual(width);
    expect(widest(views.details(plain(width)))).toBeLessThanOrEqual(width);
  });

  it('writes no escape code without color, and colors with it', () => {
    expect(views.view(plain(100))).not.toMatch(ESCAPE);
    expect(views.details(plain(100))).not.toMatch(ESCAPE);
    expect(views.view({ ...plain(100), style: makeStyle(true) })).toMatch(ESCAPE);
  });

  it('prints its default view as the snapshot', () => {
    expect(views.view(plain(100))).toMatchSnapshot();
  });
});

describe("the profile's default view", () => {
  const text = profileView(profile, plain(100));
  const lines = text.trimEnd().split('\n');

  it('fits the five scenarios in about 30 lines, with a verdict line for each', () => {
    expect(lines.length).toBeLessThanOrEqual(35);
    for (const run of profile.runs) expect(lines.some((l) => l.startsWith(`${run.label}  `))).toBe(true);
    expect(text).toContain(`result: ${PATH}`);
  });

  it('gives each figure its own unit: a fresh worker in ms beside main, each with its CI', () => {
    expect(text).toMatch(/^fresh \(cold\)\s+\S+\s+[\d.]+ ms \[/m);
  });
});

describe('--details', () => {
  it("shows every figure today's profile output shows", () => {
    const numbers = (s: string): Set<string> => new Set(s.match(/\d[\d,.]*/g) ?? []);
    const full = numbers(renderProfile(profile));
    const details = numbers(profileDetails(profile, plain(80)));
    const missing = [...full].filter((n) => !details.has(n));
    expect(missing).toEqual([]);
  });
});
