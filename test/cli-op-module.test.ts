import { describe, expect, it } from 'vitest';
import type { BreakdownResult, ProfileResult, StrategyResult } from '../src/results/result-types.js';
import { runCli } from './support/cli.js';

/**
 * The user's own GPU work as an op module (--op), through the real CLI on the real device: the
 * three examples (WebGPU written directly, TensorFlow.js's WebGPU backend, TypeGPU) under every
 * strategy, their passes timed by wgprof's instrumentation, and the bad inputs a user meets.
 */

const ALL = ['main', 'fresh', 'reused', 'pool/1', 'persistent'];

/**
 * Every op timed: these runs check what the instrumentation sees of each op (its passes, counts
 * and GPU time, op by op) in a handful of ops, where one in 2 timed in blocks of 8 could leave a
 * scenario with none. The default's sampling of op modules is tested in cli-timestamp-faults.
 */
function profileJson(args: readonly string[]): ProfileResult {
  const run = runCli(
    ['profile', '--replicates', '1', '--warmup', '2', '--gpu-time', 'every', '--json', '--no-save', ...args],
    { timeoutMs: 240_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as ProfileResult;
}

/** Per ok op that has activity: its GPU time, and the sum of its passes' times. */
function gpuAgainstPasses(run: StrategyResult): { gpu: number; passes: number }[] {
  const { records } = run;
  const gpu = records.phases.kernelGpu ?? [];
  const passNs = Object.values(records.activity?.passNs ?? {});
  const failed = new Set(records.failures.map((f) => f.index));
  return gpu.flatMap((ns, i) => {
    if (ns === null || failed.has(i)) return [];
    return [{ gpu: ns, passes: passNs.reduce((sum, column) => sum + (column[i] ?? 0), 0) }];
  });
}

function checkExample(result: ProfileResult, passes: { submits: number; names: string[] }): void {
  expect(result.runs.map((r) => r.label)).toEqual(ALL);
  for (const run of result.runs) {
    const where = run.label;
    expect({ where, failures: run.records.failures }).toEqual({ where, failures: [] });
    expect(run.opsOk).toBeGreaterThan(0);
    for (const phase of ['creation', 'kernelCpu', 'kernelGpu', 'sync'] as const)
      expect({ where, phase, positive: (run.summary[phase]?.median ?? 0) > 0 }).toEqual({
        where,
        phase,
        positive: true,
      });
    const activity = run.activity;
    expect(activity?.counts.submits).toBe(passes.submits);
    expect(activity?.counts.passes).toBe(passes.names.length);
    expect(activity?.counts.dispatches).toBeGreaterThanOrEqual(passes.names.length);
    expect(activity?.counts.bytesUploaded).toBeGreaterThan(0);
    expect(activity?.passes.map((p) => p.name).sort()).toEqual([...passes.names].sort());
    for (const p of activity?.passes ?? []) expect(p.medianNs).toBeGreaterThan(0);
    // The op's GPU time is its passes' sum, op by op.
    // Only the timed ops (one in 2) ran with the instrumentation and have a GPU time.
    const pairs = gpuAgainstPasses(run);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.length).toBe((run.records.timing ?? []).filter((c) => c === 1).length);
    for (const { gpu, passes: sum } of pairs) expect(Math.abs(gpu - sum)).toBeLessThan(1);
  }
}

describe('wgprof profile --op: the examples under every strategy', () => {
  it('times a multi-pass op written against WebGPU, each pass apart, checked against a CPU reference', () => {
    const result = profileJson(['--op', 'examples/multi-pass.mjs', '--op-arg', 'verify=1', '--ops', '8']);
    checkExample(result, { submits: 2, names: ['square', 'block-sum'] });
    expect(result.config.kernel).toBe('multi-pass');
    expect(result.config.op?.args).toEqual({ verify: '1' });
  }, 240_000);

  it("times TensorFlow.js's WebGPU backend, which opens its own device through navigator.gpu", () => {
    const result = profileJson([
      '--op',
      'examples/tfjs-matmul.mjs',
      '--op-arg',
      'n=64',
      '--op-arg',
      'verify=1',
      '--ops',
      '6',
    ]);
    checkExample(result, { submits: 1, names: ['MatMulSmallOutputSizeProgram'] });
  }, 240_000);

  it("times TypeGPU given wgprof's device", () => {
    const result = profileJson([
      '--op',
      'examples/typegpu-compute.mjs',
      '--op-arg',
      'verify=1',
      '--ops',
      '6',
    ]);
    // One compute pass (its pipeline labelled scale-add) and two submits: the op's own, and the
    // copy its verify read-back makes.
    checkExample(result, { submits: 2, names: ['scale-add'] });
  }, 240_000);

  it('prints what the op did and its passes in the tables', () => {
    const run = runCli(
      [
        'profile',
        '--op',
        'examples/multi-pass.mjs',
        '--strategy',
        'main,persistent',
        '--ops',
        '20',
        '--replicates',
        '1',
        '--no-save',
        '--details',
      ],
      { timeoutMs: 120_000 },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('wgprof profile: multi-pass (op module examples/multi-pass.mjs)');
    expect(run.stdout).toMatch(/What the op did[^\n]*\n\nPer op +main +persistent\n/);
    expect(run.stdout).toMatch(/^submits +2 +2$/m);
    expect(run.stdout).toMatch(/^main +square +1 /m);
  }, 120_000);
});

describe('wgprof breakdown --op', () => {
  it('adds the rows that matter for a library: importing the op module, and its setup', () => {
    const run = runCli(
      [
        'breakdown',
        '--op',
        'examples/tfjs-matmul.mjs',
        '--op-arg',
        'n=64',
        '--reps',
        '3',
        '--json',
        '--no-save',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as BreakdownResult;
    expect(result.rows.map((r) => r.id)).toEqual([
      'worker.empty',
      'worker.load',
      'worker.device',
      'worker.import',
      'worker.setup',
      'worker.op',
      'main.op',
    ]);
    for (const row of result.rows) expect(row.summary?.median ?? 0).toBeGreaterThan(0);
    expect(result.steps['worker.import']).toEqual(['load', 'device', 'import']);
    expect(result.steps['worker.setup']).toEqual(['load', 'device', 'import', 'setup']);
    expect(result.attribution.map((a) => a.component)).toContain('importing the op module');
    expect(result.attribution.reduce((a, b) => a + b.ns, 0)).toBeCloseTo(
      result.rows.find((r) => r.id === 'worker.op')?.summary?.median ?? NaN,
      0,
    );
  }, 240_000);
});

describe('wgprof profile --op: bad input', () => {
  const refused = (args: readonly string[]): string => {
    const run = runCli([
      'profile',
      '--ops',
      '3',
      '--replicates',
      '1',
      '--strategy',
      'main',
      '--no-save',
      ...args,
    ]);
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 2, stdout: '' });
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('Warning: max'));
    expect(lines).toHaveLength(1);
    return lines[0] ?? '';
  };

  it('names a module that is not there, or cannot be imported', () => {
    expect(refused(['--op', 'test/fixtures/ops/absent.mjs'])).toBe(
      'wgprof: error: --op test/fixtures/ops/absent.mjs: no such file',
    );
    expect(refused(['--op', 'test/fixtures/ops/import-throws.mjs'])).toBe(
      'wgprof: error: --op test/fixtures/ops/import-throws.mjs: could not import it: this module cannot load here (test/fixtures/ops/import-throws.mjs:2:7)',
    );
  });

  it('names what the default export lacks', () => {
    expect(refused(['--op', 'test/fixtures/ops/no-default.mjs'])).toContain(
      'the module has no default export',
    );
    expect(refused(['--op', 'test/fixtures/ops/no-sync.mjs'])).toBe(
      'wgprof: error: --op test/fixtures/ops/no-sync.mjs: its default export has no sync function',
    );
  });

  it("gives a setup's throw with the line in the module", () => {
    expect(refused(['--op', 'test/fixtures/ops/setup-throws.mjs'])).toBe(
      'wgprof: error: --op test/fixtures/ops/setup-throws.mjs: setup threw: no weights found (at test/fixtures/ops/setup-throws.mjs:4:11)',
    );
  });

  it('says to compile a TypeScript module where this Node cannot load one', () => {
    const major = Number(process.versions.node.split('.')[0]);
    if (major >= 23) return; // Node 23.6+ strips types by default: the module loads.
    expect(refused(['--op', 'test/fixtures/ops/typescript-op.ts'])).toContain(
      'cannot load TypeScript; compile it to JavaScript first',
    );
  });

  it("refuses a kernel's flags beside --op, and --op-arg without it", () => {
    expect(refused(['--op', 'test/fixtures/ops/two-pass.mjs', '--kernel', 'scale'])).toContain(
      '--kernel: not with --op',
    );
    expect(refused(['--op', 'test/fixtures/ops/two-pass.mjs', '--op-arg', 'n'])).toContain(
      "--op-arg must be KEY=VALUE, such as n=256, not 'n'",
    );
    expect(refused(['--op-arg', 'n=2'])).toContain('--op-arg: only for an op module');
  });
});

describe('wgprof profile --op: faults in the op', () => {
  it('records an op that throws as failed and goes on', () => {
    const result = profileJson([
      '--op',
      'test/fixtures/ops/throws-sometimes.mjs',
      '--strategy',
      'main,reused',
      '--ops',
      '9',
    ]);
    for (const run of result.runs) {
      expect(run.opsFailed).toBeGreaterThan(0);
      expect(run.opsOk).toBeGreaterThan(0);
      expect(run.records.failures[0]?.message).toMatch(/^op \d+ refused$/);
    }
  }, 120_000);

  it('warns of buffers an op leaves alive, with the count per op', () => {
    const result = profileJson([
      '--op',
      'test/fixtures/ops/leaks.mjs',
      '--strategy',
      'main,persistent',
      '--ops',
      '6',
    ]);
    const leaks = (result.warnings ?? []).filter((w) => w.code === 'op-leaks-buffers');
    expect(leaks.map((w) => w.scenario)).toEqual(['main', 'persistent']);
    expect(leaks[0]?.message).toContain('each op left 1 buffer alive');
    expect(result.runs[0]?.activity?.counts.buffersLeft).toBe(1);
  }, 120_000);
});
