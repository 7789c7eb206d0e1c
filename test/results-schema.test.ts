import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateResult } from '../src/results/validate-result.js';
import { runCli } from './support/cli.js';

// One real run's result, shared by the checks below.
const real = JSON.parse(
  runCli([
    'profile',
    '--pool-size',
    '2',
    '--kernel',
    'noop',
    '--size',
    '1K',
    '--ops',
    '8',
    '--warmup',
    '1',
    '--json',
    '--no-save',
  ]).stdout,
) as Record<string, unknown>;

const clone = (): Record<string, unknown> => structuredClone(real);

describe('result schema', () => {
  it('is valid JSON Schema with an id and a version in its name', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../schema/result-v1.schema.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    expect(schema.$schema).toMatch(/2020-12/);
    expect(schema.$id).toMatch(/result-v1/);
  });

  it('accepts a real result', () => {
    const validation = validateResult(real);
    expect(validation.ok ? 'ok' : validation.problem).toBe('ok');
  });

  it('refuses a newer version with a clear message', () => {
    const data = { ...clone(), version: 2 };
    const validation = validateResult(data);
    expect(validation.ok).toBe(false);
    if (!validation.ok)
      expect(validation.problem).toMatch(/version 2 is newer than the version 1 .*upgrade wgprof/);
  });

  it('refuses what is not a result', () => {
    for (const data of [null, [], 'text', 42, {}, { schema: 'other' }])
      expect(validateResult(data).ok).toBe(false);
  });

  it('names what is wrong in a damaged result', () => {
    const data = clone();
    delete (data as { device?: unknown }).device;
    const missing = validateResult(data);
    expect(!missing.ok && missing.problem).toMatch(/must have required property 'device'/);
    const badPhase = clone() as { runs: { summary: Record<string, unknown> }[] };
    const run = badPhase.runs[0];
    if (run) run.summary.warpSpeed = run.summary.total;
    const bad = validateResult(badPhase);
    expect(bad.ok).toBe(false);
  });
});
