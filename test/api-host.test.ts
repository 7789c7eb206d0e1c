import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseNodeFlags, parseNodeFlags } from '../src/runner/node-flags.js';
import { tempDir } from './support/cli.js';

/**
 * wgprof inside the user's own process: a host started with Node flags of every kind measures
 * as a plain one does; calls made at once measure one after the other; an AbortSignal behaves as
 * Node's own APIs' do; the API's messages name its own options.
 */

type Api = typeof import('../src/api/index.js');
const PACKAGE: string = 'wgprof';
const load = async (): Promise<Api> => (await import(PACKAGE)) as Api;

const ROOT = join(import.meta.dirname, '..');
const HOST = join(ROOT, 'test', 'fixtures', 'hosts', 'profile-and-print.mjs');
const PRELOAD = join(ROOT, 'test', 'fixtures', 'hosts', 'mark-preloaded.mjs');

interface HostOutput {
  runs: { label: string; opsOk: number; opsFailed: number; total: number }[];
  nodeFlags: { passed: string[]; dropped: { flag: string; why: string }[] };
  warnings: string[];
}

function host(flags: readonly string[], script: 'file' | 'eval', options: object): HostOutput {
  const source = readFileSync(HOST, 'utf8');
  const args = script === 'file' ? [...flags, HOST] : [...flags, '--input-type=module', '-e', source];
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WGPROF_HOST_OPTIONS: JSON.stringify(options) },
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`host exited with ${run.status}: ${run.stderr}`);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as HostOutput;
}

describe("the host's Node flags", () => {
  it('pairs each option with its value, in either spelling', () => {
    expect(parseNodeFlags(['--import', 'x.mjs', '-r', 'y.cjs', '--conditions=dev', '--no-warnings'])).toEqual(
      [
        { name: '--import', value: 'x.mjs', words: ['--import', 'x.mjs'] },
        { name: '-r', value: 'y.cjs', words: ['-r', 'y.cjs'] },
        { name: '--conditions', value: 'dev', words: ['--conditions=dev'] },
        { name: '--no-warnings', words: ['--no-warnings'] },
      ],
    );
  });

  it('passes on what an op needs to load and keeps the rest with the host, saying why', () => {
    const choice = chooseNodeFlags([
      '--input-type',
      'module',
      '--import',
      'data:text/javascript,1',
      '-r',
      './setup.cjs',
      '-C',
      'development',
      '--experimental-strip-types',
      '--enable-source-maps',
      '--no-warnings',
      '--max-old-space-size=300',
      '--cpu-prof',
      '--inspect=0',
      '--experimental-permission',
      '--watch',
      '-e',
      'console.log(1)',
    ]);
    expect(choice.passed).toEqual([
      '--import',
      'data:text/javascript,1',
      '-r',
      './setup.cjs',
      '-C',
      'development',
      '--experimental-strip-types',
      '--enable-source-maps',
      '--no-warnings',
    ]);
    expect(choice.dropped.map((d) => d.flag)).toEqual([
      '--input-type=module',
      '--max-old-space-size=300',
      '--cpu-prof',
      '--inspect=0',
      '--experimental-permission',
      '--watch',
      '-e=console.log(1)',
    ]);
    for (const { why } of choice.dropped) expect(why.length).toBeGreaterThan(10);
  });

  it('a host started with flags of several kinds measures as a plain one does', () => {
    const options = {
      kernel: 'scale',
      size: '4K',
      strategy: ['main', 'persistent'],
      ops: 150,
      replicates: 1,
    };
    const plain = host([], 'file', options);
    const profiles = tempDir('wgprof-cpu-prof-');
    const flagged = host(
      [
        '--no-warnings',
        '--enable-source-maps',
        '--conditions=development',
        '--stack-size=2000',
        '--max-old-space-size=512',
        '--cpu-prof',
        `--cpu-prof-dir=${profiles}`,
        '--import',
        PRELOAD,
      ],
      'eval',
      options,
    );
    expect(flagged.runs.map((r) => r.label)).toEqual(plain.runs.map((r) => r.label));
    for (const [i, run] of flagged.runs.entries()) {
      const base = plain.runs[i];
      expect(run.opsOk).toBe(150);
      expect(run.opsFailed).toBe(0);
      // Same op, same machine: the same figures within a wide margin (a flag that reached the
      // measuring processes, such as --cpu-prof, would slow every op several times over).
      expect(run.total / (base?.total ?? NaN)).toBeGreaterThan(1 / 2);
      expect(run.total / (base?.total ?? NaN)).toBeLessThan(2);
    }
    expect(flagged.nodeFlags.passed).toEqual([
      '--no-warnings',
      '--enable-source-maps',
      '--conditions=development',
      '--import',
      PRELOAD,
    ]);
    expect(flagged.nodeFlags.dropped.map((d) => d.flag.split('=')[0])).toEqual([
      '--stack-size',
      '--max-old-space-size',
      '--cpu-prof',
      '--cpu-prof-dir',
      '--input-type',
      '-e',
    ]);
    expect(plain.nodeFlags).toEqual({ passed: [], dropped: [] });
    // The host's own profile, and none from the measuring processes.
    expect(readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(1);
  }, 240_000);

  it("what an op needs to load (the host's --import) reaches every measuring process and worker", () => {
    const flagged = host(['--import', PRELOAD], 'eval', {
      op: './test/fixtures/ops/needs-host-preload.mjs',
      strategy: ['main', 'fresh', 'pool', 'persistent'],
      ops: 10,
      replicates: 1,
    });
    for (const run of flagged.runs) expect([run.label, run.opsOk, run.opsFailed]).toEqual([run.label, 10, 0]);
  }, 240_000);
});

describe('calls made at once', () => {
  it('measure one after the other, the later saying how long it waited', async () => {
    const { profile, breakdown, sync } = await load();
    const options = { kernel: 'noop', size: '1K', strategy: 'main', ops: 60, replicates: 1 } as const;
    const started = Date.now();
    const [first, second, third, fourth] = await Promise.all([
      profile(options),
      profile(options),
      breakdown({ reps: 5 }),
      sync({ reps: 5 }),
    ]);
    const ended = (r: { createdAt: string }): number => Date.parse(r.createdAt);
    expect(first.queue).toBeUndefined();
    expect(second.queue?.behind).toBe(1);
    expect(third.queue?.behind).toBe(2);
    expect(fourth.queue?.behind).toBe(3);
    // Each started after the one before it had ended: waited at least as long as those ran.
    expect(second.queue?.waitedMs ?? 0).toBeGreaterThanOrEqual(first.rounds.elapsedMs * 0.9);
    expect(fourth.queue?.waitedMs ?? 0).toBeGreaterThan(third.queue?.waitedMs ?? Infinity);
    expect(ended(first)).toBeLessThanOrEqual(ended(second));
    // One after the other: the whole took at least the four measurements' own times together.
    const own =
      first.rounds.elapsedMs + second.rounds.elapsedMs + third.repeat.elapsedMs + fourth.repeat.elapsedMs;
    expect(Date.now() - started).toBeGreaterThanOrEqual(own);
  }, 240_000);
});

describe('an AbortSignal', () => {
  it('already aborted: rejects as Node does, with an AbortError that keeps the reason', async () => {
    const { profile, AbortError } = await load();
    const reason = new Error('the user closed the tab');
    const error: unknown = await profile({ signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', exitCode: 130 });
    expect((error as Error).cause).toBe(reason);
  });

  it('aborted while queued: leaves the queue at once, and the running call goes on', async () => {
    const { profile } = await load();
    const controller = new AbortController();
    const running = profile({ kernel: 'noop', strategy: 'main', ops: 300, replicates: 1 });
    const queued = profile({ kernel: 'noop', strategy: 'main', ops: 300, signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    const result = await running;
    expect(result.runs[0]?.opsOk).toBe(300);
  }, 120_000);

  it('aborted mid-run: gives what Ctrl-C gives the CLI, the ops measured so far marked interrupted', async () => {
    const { profile } = await load();
    const result = await profile({
      kernel: 'noop',
      strategy: ['main', 'persistent'],
      timeBudget: '60s',
      signal: AbortSignal.timeout(2500),
    });
    expect(result.rounds.stoppedBy).toBe('interrupted');
    expect(result.runs[0]?.opsOk).toBeGreaterThan(0);
    expect(result.rounds.elapsedMs).toBeLessThan(30_000);
  }, 120_000);
});

describe("the API's messages", () => {
  it('name the options as the API takes them', async () => {
    const { profile, breakdown, ExitCode } = await load();
    // A typo a JavaScript caller can make (TypeScript's types would refuse it).
    await expect(profile({ strategy: JSON.parse('["mian"]') as ['main'] })).rejects.toMatchObject({
      exitCode: ExitCode.usage,
      message: expect.stringMatching(/^unknown strategy 'mian' for strategy:/) as unknown,
    });
    await expect(profile({ ops: -5 })).rejects.toMatchObject({
      message: "ops must be a whole number, not '-5'",
    });
    await expect(profile({ timeBudget: 'soon' })).rejects.toMatchObject({
      message: expect.stringMatching(/^timeBudget must be/) as unknown,
    });
    await expect(breakdown({ reps: 0 })).rejects.toMatchObject({
      message: expect.stringMatching(/^reps /) as unknown,
    });
    await expect(profile({ op: './nope.mjs' })).rejects.toMatchObject({
      message: 'op ./nope.mjs: no such file',
    });
  });
});
