import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';

/**
 * wgprof as a library, imported by its package name as a user's script would (package.json's
 * `exports`, on the built dist/): the same result object as result.json, nothing written unless
 * asked, nothing left running.
 */

type Api = typeof import('../src/api/index.js');
/** By name, as a user imports it (resolved through package.json's exports, to dist/). */
const PACKAGE: string = 'wgprof';
const load = async (): Promise<Api> => (await import(PACKAGE)) as Api;

/** This process's children still alive (measuring processes that did not end). */
function children(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.includes(' ps -o '));
}

describe('the API: import { profile, breakdown, sync, compare, report } from "wgprof"', () => {
  it('profiles an op module and returns the result object, writing nothing', async () => {
    const { profile, report } = await load();
    const before = readdirSync(process.cwd());
    const result = await profile({
      op: './examples/multi-pass.mjs',
      strategy: ['main', 'persistent'],
      ops: 12,
      warmup: 3,
      replicates: 1,
      opArg: { n: 16384 },
    });
    expect(result.kind).toBe('profile');
    expect(result.runs.map((r) => r.label)).toEqual(['main', 'persistent']);
    expect(result.config.op?.args).toEqual({ n: '16384' });
    expect(result.command.slice(0, 4)).toEqual(['wgprof', 'profile', '--op', './examples/multi-pass.mjs']);
    const persistent = result.runs[1];
    expect(persistent?.vsMain?.estimate).toBeGreaterThan(0);
    expect(persistent?.activity?.passes.map((p) => p.name)).toEqual(['square', 'block-sum']);
    expect(readdirSync(process.cwd())).toEqual(before);
    expect(await report(result, 'md')).toContain(
      'op: multi-pass (op module examples/multi-pass.mjs; n=16384)',
    );
    expect(children()).toEqual([]);
  }, 120_000);

  it('writes result.json when given out, runs breakdown, and compares two results', async () => {
    const { profile, breakdown, compare, readResult } = await load();
    const out = tempDir();
    const options = {
      kernel: 'noop',
      size: '1K',
      strategy: 'main',
      ops: 30,
      warmup: 3,
      replicates: 1,
      out,
    } as const;
    const a = await profile(options);
    const b = await profile(options);
    const [folder, ...more] = readdirSync(out);
    expect(more).toHaveLength(1);
    const stored = await readResult(`${out}/${folder ?? ''}/result.json`);
    expect(stored.kind).toBe('profile');
    const comparison = compare(a, b, { threshold: '10%' });
    expect(comparison.scenarios.map((s) => s.label)).toEqual(['main']);
    const parts = await breakdown({ op: './examples/multi-pass.mjs', opArg: { n: 4096 }, reps: 3 });
    expect(parts.rows.map((r) => r.id)).toContain('worker.import');
    expect(children()).toEqual([]);
  }, 180_000);

  it('rejects bad options with a WgprofError carrying the exit code, before any process starts', async () => {
    const { profile, sync, WgprofError, ExitCode } = await load();
    await expect(profile({ kernel: 'nope' })).rejects.toBeInstanceOf(WgprofError);
    await expect(profile({ op: './test/fixtures/ops/absent.mjs' })).rejects.toMatchObject({
      exitCode: ExitCode.usage,
      message: 'op ./test/fixtures/ops/absent.mjs: no such file',
    });
    await expect(
      profile({ op: './test/fixtures/ops/setup-throws.mjs', strategy: 'main', ops: 3, replicates: 1 }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.usage,
    });
    await expect(sync({ op: './examples/multi-pass.mjs' })).rejects.toMatchObject({
      exitCode: ExitCode.usage,
    });
    expect(children()).toEqual([]);
  }, 60_000);

  it('stops early on an abort signal, keeping what was measured', async () => {
    const { profile } = await load();
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 1500);
    const result = await profile({
      kernel: 'noop',
      size: '1K',
      strategy: ['main', 'reused'],
      timeBudget: '60s',
      signal: controller.signal,
    });
    expect(result.rounds.stoppedBy).toBe('interrupted');
    expect(result.runs.length).toBeGreaterThan(0);
    expect(children()).toEqual([]);
  }, 60_000);
});
