import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryBandwidth } from '../src/peak/peak-limits.js';
import { findLatestPeak, latestPeakPath, PEAK_FOLDER } from '../src/results/peak-store.js';
import { readResultFile } from '../src/results/read-result.js';
import type { PeakResult } from '../src/results/result-types.js';
import type { PeakLimit } from '../src/peak/peak-types.js';
import { validateResult } from '../src/results/validate-result.js';
import { peakDetails, peakView } from '../src/reports/terminal/peak-view.js';
import { makeStyle } from '../src/reports/terminal/style.js';
import { visibleWidth } from '../src/reports/terminal/wrap.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * `wgprof peak` through the built CLI on the real device (lavapipe in CI), with --quick: the
 * machinery and the result, not the device's limits (a default run is the real one, under 30 s).
 */
describe('wgprof peak --quick on the real device', () => {
  const out = tempDir('wgprof-peak-');
  const run = runCli(['peak', '--quick', '--out', out]);
  const runFolders = readdirSync(out).filter((name) => name !== PEAK_FOLDER);
  const resultPath = join(out, runFolders[0] ?? 'missing', 'result.json');

  it('prints its view, writes result.json of kind peak in a run folder, with its reports', async () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wgprof peak: /);
    expect(run.stdout).toMatch(/memory bandwidth +[\d.,]+ [kMGT]?B\/s \[/);
    expect(run.stdout).toMatch(/f32 arithmetic +[\d.,]+ [kMGT]?FLOP\/s \[/);
    expect(run.stdout).toContain('ridge point');
    expect(run.stdout).toMatch(/floors +submit [\d.]+ [mun]?s · dispatch [\d.]+ [mun]?s · 4-byte read-back/);
    expect(run.stdout).toContain("--quick: a short sweep, not this device's limits");
    expect(run.stdout).toContain(`result: ${resultPath}`);
    expect(runFolders).toHaveLength(1);
    expect(runFolders[0]).toMatch(/-peak$/);
    const result = await readResultFile(resultPath);
    expect(result.kind).toBe('peak');
    for (const report of ['report.md', 'report.html'])
      expect(existsSync(join(out, runFolders[0] ?? '', report)), report).toBe(true);
  });

  it('measures positive, finite rates, each inside its CI, reached at a size it swept', async () => {
    const result = (await readResultFile(resultPath)) as PeakResult;
    const { limits, sweeps } = result;
    for (const rate of [limits.copyBandwidth, limits.streamBandwidth, limits.f32Flops]) {
      expect(Number.isFinite(rate.value) && rate.value > 0, rate.method).toBe(true);
      expect(rate.low).toBeLessThanOrEqual(rate.value);
      expect(rate.high).toBeGreaterThanOrEqual(rate.value);
      expect(rate.samples).toBeGreaterThanOrEqual(3);
    }
    expect(sweeps.copy.map((p) => p.bytes)).toContain(limits.copyBandwidth.atBytes);
    expect(sweeps.stream.map((p) => p.bytes)).toContain(limits.streamBandwidth.atBytes);
    expect(sweeps.copy.length).toBeGreaterThanOrEqual(1);
    expect(sweeps.stream.length).toBeGreaterThanOrEqual(1);
    expect(limits.f32Flops.unit).toBe('FLOP/s');
    expect(limits.f32Flops.atInvocations).toBeGreaterThan(0);
    expect(memoryBandwidth(limits).value).toBe(
      Math.max(limits.copyBandwidth.value, limits.streamBandwidth.value),
    );
    expect(result.settings.quick).toBe(true);
    expect(result.settings.timing).toBe(result.device.timestamps ? 'timestamps' : 'wall-clock');
  });

  it('measures floors that are positive and ordered: an empty submit costs no more than a dispatch or a read-back', async () => {
    const { limits } = (await readResultFile(resultPath)) as PeakResult;
    const { submitFloor, dispatchFloor, readbackFloor } = limits;
    for (const floor of [submitFloor, dispatchFloor, readbackFloor]) {
      expect(floor.unit).toBe('ns');
      expect(floor.value, floor.method).toBeGreaterThan(0);
      expect(floor.low).toBeLessThanOrEqual(floor.value);
      expect(floor.high).toBeGreaterThanOrEqual(floor.value);
      expect(floor.samples).toBeGreaterThanOrEqual(50);
    }
    // Wide margins: the submit is part of both others.
    expect(submitFloor.value).toBeLessThan(1.5 * dispatchFloor.value);
    expect(submitFloor.value).toBeLessThan(1.5 * readbackFloor.value);
  });

  it('keeps the latest peak of the adapter where findLatestPeak finds it, for this adapter and host only', async () => {
    const result = (await readResultFile(resultPath)) as PeakResult;
    const latest = latestPeakPath(out, result);
    expect(run.stdout).toContain(`latest peak of this adapter: ${latest}`);
    expect(findLatestPeak(out, result)?.createdAt).toBe(result.createdAt);
    const device = (change: Partial<PeakResult['device']>): PeakResult => ({
      ...result,
      device: { ...result.device, ...change },
    });
    expect(
      findLatestPeak(out, device({ description: `${result.device.description} (another)` })),
    ).toBeUndefined();
    expect(findLatestPeak(out, device({ backend: 'opengles' }))).toBeUndefined();
    // The same adapter on another host: a software adapter's figures are its CPU's.
    const cpu = result.environment.cpu;
    for (const other of [
      { ...cpu, model: `${cpu.model} (another)` },
      { ...cpu, cores: cpu.cores + 1 },
    ])
      expect(
        findLatestPeak(out, { ...result, environment: { ...result.environment, cpu: other } }),
      ).toBeUndefined();
    expect(findLatestPeak(tempDir(), result)).toBeUndefined();
  });

  it('skips a latest file that is corrupt, of another version or of another adapter, without throwing', async () => {
    const result = (await readResultFile(resultPath)) as PeakResult;
    const elsewhere = tempDir('wgprof-peak-corrupt-');
    mkdirSync(join(elsewhere, PEAK_FOLDER));
    const path = latestPeakPath(elsewhere, result);
    const text = readFileSync(resultPath, 'utf8');
    writeFileSync(path, text);
    expect(findLatestPeak(elsewhere, result)?.kind).toBe('peak');
    for (const bad of [
      text.slice(0, text.length / 2),
      '',
      '[]',
      JSON.stringify({ ...result, version: 2 }),
      JSON.stringify({ ...result, limits: { ...result.limits, f32Flops: undefined } }),
      JSON.stringify({ ...result, device: { ...result.device, description: 'another adapter' } }),
    ]) {
      writeFileSync(path, bad);
      expect(findLatestPeak(elsewhere, result), bad.slice(0, 40)).toBeUndefined();
    }
  });

  it('writes a result the schema accepts, and the schema refuses a peak without its limits', async () => {
    const result = (await readResultFile(resultPath)) as PeakResult;
    const ok = validateResult(result);
    expect(ok.ok ? 'ok' : ok.problem).toBe('ok');
    const noLimits: Record<string, unknown> = { ...result };
    delete noLimits.limits;
    expect(validateResult(noLimits).ok).toBe(false);
    const negative = {
      ...result,
      limits: { ...result.limits, submitFloor: { ...result.limits.submitFloor, value: -1 } },
    };
    expect(validateResult(negative).ok).toBe(false);
    expect(validateResult({ ...result, limits: { ...result.limits, extra: 1 } }).ok).toBe(false);
  });

  it('has Markdown and HTML reports through `wgprof report`, and refuses csv with one line', () => {
    const md = runCli(['report', resultPath, '--format', 'md']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# wgprof peak report/);
    expect(md.stdout).toContain('| Buffer size');
    expect(md.stdout).toContain('f32 arithmetic');
    const html = runCli(['report', resultPath, '--format', 'html']);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain('<h1>wgprof peak report</h1>');
    expect(html.stdout).toContain('data-chart="peak-bandwidth"');
    expect(html.stdout).toContain('<svg');
    const csv = runCli(['report', resultPath, '--format', 'csv']);
    expect(csv.status).toBe(2);
    expect(csv.stderr.trim().split('\n')).toHaveLength(1);
    expect(csv.stderr).toMatch(/^wgprof: error: --format csv needs per-op records/);
  });

  it('is refused by compare with one line and exit 2', () => {
    const compared = runCli(['compare', resultPath, resultPath]);
    expect(compared.status).toBe(2);
    expect(compared.stderr.trim().split('\n')).toHaveLength(1);
    expect(compared.stderr).toMatch(/^wgprof: error: .* is a peak result/);
  });

  it('has a view and details that fit 80 columns', async () => {
    const result = (await readResultFile(resultPath)) as PeakResult;
    const options = {
      width: 80,
      style: makeStyle(false),
      resultPath,
      latestPath: latestPeakPath(out, result),
    };
    for (const text of [peakView(result, options), peakDetails(result, options)]) {
      const wide = text.split('\n').filter((line) => visibleWidth(line) > 80);
      expect(wide).toEqual([]);
    }
  });
});

describe('wgprof peak --json --no-save', () => {
  it('prints the result as JSON only, and writes nothing', () => {
    const cwd = tempDir('wgprof-peak-json-');
    const run = runCli(['peak', '--quick', '--json', '--no-save'], { cwd });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as PeakResult;
    expect(result.kind).toBe('peak');
    expect(result.command).toEqual(['wgprof', 'peak', '--quick', '--json', '--no-save']);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('wgprof peak on OpenGL ES (llvmpipe, no timestamp-query)', () => {
  it('measures every limit by wall-clock slopes, and the result validates', () => {
    const run = runCli(['peak', '--backend', 'opengles', '--quick', '--json', '--no-save'], {
      timeoutMs: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as PeakResult;
    expect(result.device.backend).toBe('opengles');
    expect(result.settings.timing).toBe(result.device.timestamps ? 'timestamps' : 'wall-clock');
    for (const limit of Object.values(result.limits) as PeakLimit[]) {
      expect(limit.value, limit.method).toBeGreaterThan(0);
      expect(Number.isFinite(limit.value), limit.method).toBe(true);
    }
    expect(validateResult(result)).toMatchObject({ ok: true });
  });
});

describe('wgprof peak refuses what it cannot do', () => {
  it('prints its usage with --help', () => {
    const run = runCli(['peak', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: wgprof peak \[options\]/);
    for (const flag of ['--backend', '--adapter', '--quick', '--json', '--out', '--no-save', '--details'])
      expect(run.stdout).toContain(flag);
  });

  it.each([
    [['--bogus'], /^error: unknown option '--bogus'/],
    [['--backend', 'nope'], /^wgprof: error: unknown backend 'nope'/],
    [['--backend', 'null'], /^wgprof: error: peak measures the device's own limits; the 'null' backend/],
  ])('%j: exit 2, one line', (args, message) => {
    const run = runCli(['peak', ...args, '--no-save']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
