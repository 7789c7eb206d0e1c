import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../src/results/result-types.js';
import { isTimedOp, parseGpuTime, periodStart } from '../src/config/gpu-time.js';
import { EXACT_WARMUP, profileJson, runCli } from './support/cli.js';

/**
 * GPU timestamps that lie, injected with WGPROF_INJECT_FAULT=timestamps-KIND (zero, reversed,
 * constant, no-query-set) into every read-back of the measuring process and its workers, under
 * every strategy, for a built-in kernel and an op module, through the real CLI. The contract:
 * the run ends as usual (exit 0), every CPU-side figure is there, no GPU figure is (no
 * kernel (GPU) summary, every kernelGpu record null), the result records why its timestamps were
 * not trusted, and the output says so once.
 */

const FAULTS = ['zero', 'reversed', 'constant', 'no-query-set'] as const;
const STRATEGIES = 'main,fresh,reused,pool,persistent';
/**
 * 40 ops, one in 2 timed: the recorded ops start a period after the warm-up (8 untimed, 8 timed,
 * ...), so 16 readings per scenario, as many as the constant check needs.
 */
const COMMON = [
  '--size',
  '1K',
  '--ops',
  '40',
  '--replicates',
  '1',
  '--warmup',
  '3',
  ...EXACT_WARMUP,
  '--no-save',
];
const TWO_PASS = join(import.meta.dirname, 'fixtures', 'ops', 'two-pass.mjs');

function profile(
  args: readonly string[],
  fault?: string,
): { result: ProfileResult; stderr: string; status: number | null } {
  const run = runCli(['profile', ...args, ...COMMON, '--json'], {
    env: fault ? { WGPROF_INJECT_FAULT: `timestamps-${fault}` } : {},
    timeoutMs: 90_000,
  });
  if (run.status !== 0) throw new Error(`profile exited ${run.status}: ${run.stderr}`);
  return { result: JSON.parse(run.stdout) as ProfileResult, stderr: run.stderr, status: run.status };
}

const WHY: Record<(typeof FAULTS)[number], RegExp> = {
  zero: /zero/,
  reversed: /reversed/,
  constant: /same duration/,
  'no-query-set': /no query set/,
};

function expectNoGpuFigure(result: ProfileResult): void {
  for (const run of result.runs) {
    expect(run.summary.kernelGpu, run.label).toBeUndefined();
    expect(run.summary.total, run.label).toBeDefined();
    expect(run.summary.sync, run.label).toBeDefined();
    expect(
      (run.records.phases.kernelGpu ?? []).every((v) => v === null),
      run.label,
    ).toBe(true);
    expect(run.timing?.timestamps.trusted, run.label).toBe(false);
  }
}

describe('GPU timestamps that cannot be trusted', () => {
  for (const fault of FAULTS)
    it(`${fault}: every strategy keeps its CPU-side figures, reports no GPU time, and says why once`, () => {
      const { result } = profile(['--kernel', 'noop', '--strategy', STRATEGIES], fault);
      expect(result.runs.map((r) => r.strategy)).toEqual(['main', 'fresh', 'reused', 'pool', 'persistent']);
      expectNoGpuFigure(result);
      for (const run of result.runs) expect(run.timing?.timestamps.reason, run.label).toMatch(WHY[fault]);
      const said = (result.warnings ?? []).filter((w) => w.code === 'timestamps-untrusted');
      expect(said).toHaveLength(1);
      expect(said[0]?.message).toMatch(/cannot be trusted \(in every scenario\)/);
      expect(said[0]?.message).toMatch(WHY[fault]);
    });

  for (const fault of FAULTS)
    it(`${fault}: an op module's passes, timed by the instrumentation, are judged the same way under every strategy`, () => {
      const { result } = profile(['--op', TWO_PASS, '--strategy', STRATEGIES], fault);
      expectNoGpuFigure(result);
      expect(result.warnings?.some((w) => w.code === 'timestamps-untrusted')).toBe(true);
    });

  it('the terminal says it once, plainly, and shows no GPU column', () => {
    const args = ['profile', '--kernel', 'noop', '--strategy', 'main', ...COMMON];
    const env = { WGPROF_INJECT_FAULT: 'timestamps-zero' };
    const short = runCli(args, { env });
    expect(short.status).toBe(0);
    expect(short.stdout).toMatch(/^GPU time: none \(timestamps can't be trusted\)$/m);
    expect(short.stdout).toMatch(/^! this device's GPU timestamps cannot be trusted: no GPU time reported$/m);
    const run = runCli([...args, '--details'], { env });
    expect(run.stdout).toMatch(/GPU time: none reported: this device's timestamps cannot be trusted/);
    expect(run.stdout.match(/cannot be trusted/g)?.length).toBe(2); // the timing line and the warning
    expect(run.stdout).not.toMatch(/kernel \(GPU\)/);
  });
});

describe('GPU timing that changes nothing', () => {
  it('alternates timed and untimed ops: CPU figures from the untimed, GPU time from the timed, and the cost measured', () => {
    const { result } = profile(['--kernel', 'scale', '--strategy', 'main,reused,persistent']);
    for (const run of result.runs) {
      const codes = run.records.timing ?? [];
      const steady = codes.filter((_, i) => !run.records.cold.includes(i));
      // One in 2 timed (in blocks of 8), and the readings passed their checks.
      expect(steady.filter((c) => c === 1).length, run.label).toBeGreaterThanOrEqual(16);
      expect(steady.filter((c) => c === 0).length, run.label).toBeGreaterThanOrEqual(14);
      const gpu = run.records.phases.kernelGpu ?? [];
      codes.forEach((code, i) => {
        if (code === 0) expect(gpu[i], `${run.label} op ${i}`).toBeNull();
      });
      expect(run.summary.kernelGpu, run.label).toBeDefined();
      expect(run.timing?.figuresOf).toBe('untimed');
      expect(run.timing?.timestamps.trusted).toBe(true);
      expect(run.timing?.costNs).toBeDefined();
      expect(run.timing?.untimedOps).toBeGreaterThanOrEqual(14);
    }
  });

  it('--gpu-time none times nothing; every times every op and says the figures include it', () => {
    const none = profile(['--kernel', 'scale', '--strategy', 'main', '--gpu-time', 'none']).result;
    const [main] = none.runs;
    expect(main?.summary.kernelGpu).toBeUndefined();
    expect(main?.records.phases.kernelGpu).toBeUndefined();
    expect(main?.timing?.timedOps).toBe(0);
    expect(none.warnings?.some((w) => w.code === 'timestamps-untrusted')).toBe(false);

    const every = profile(['--kernel', 'scale', '--strategy', 'main', '--gpu-time', 'every']).result;
    const [timed] = every.runs;
    expect(timed?.timing?.figuresOf).toBe('all');
    expect(timed?.timing?.untimedOps).toBe(0);
    expect(timed?.summary.kernelGpu).toBeDefined();
    expect(every.warnings?.some((w) => w.code === 'figures-include-timing')).toBe(true);
  });

  it('--gpu-time 1/4 times one op in 4, in blocks of 8', () => {
    const { result } = profile(['--kernel', 'noop', '--strategy', 'main', '--gpu-time', '1/4']);
    // The cold op is the thread's op 0, then 3 warm-up ops; the recorded ops begin the next
    // period (32 ops: 24 untimed, 8 timed), so recorded op i is the thread's op 31 + i.
    const codes = result.runs[0]?.records.timing ?? [];
    const plan = parseGpuTime('1/4');
    codes.forEach((code, i) => {
      const k = i === 0 ? 0 : periodStart(4, plan) + i - 1;
      expect(code === 1, `op ${i}`).toBe(isTimedOp(k, plan));
    });
    expect(codes.filter((c) => c === 1).length).toBeGreaterThan(0);
  });

  it('a scenario whose few ops were all untimed says why it has no GPU time; none says nothing', () => {
    const run = (gpuTime: string): ProfileResult => {
      const { result, ...cli } = profileJson([
        ...['--kernel', 'noop', '--size', '1K', '--strategy', 'main', '--ops', '3', '--replicates', '1'],
        ...['--warmup', '0', ...EXACT_WARMUP, '--gpu-time', gpuTime],
      ]);
      expect(cli.status, cli.stderr).toBe(0);
      return result;
    };
    const noTimed = (r: ProfileResult) =>
      (r.warnings ?? []).filter((w) => w.code === 'too-few-samples' && w.phase === 'kernelGpu');
    // With no warm-up, its 3 ops fall outside the blocks of timed ops (0 of 3 timed, every time here).
    const sample = run('sample');
    expect(sample.runs[0]?.timing?.timedOps).toBe(0);
    expect(sample.runs[0]?.summary.kernelGpu).toBeUndefined();
    expect(noTimed(sample).map((w) => w.message)).toEqual([
      expect.stringMatching(/^main: no op of it was timed/),
    ]);
    expect(noTimed(run('none'))).toEqual([]);
    // The view says so in its GPU line, not "1 op in 2 timed".
    const text = runCli([
      ...['profile', '--kernel', 'noop', '--size', '1K', '--strategy', 'main', '--ops', '3'],
      ...['--replicates', '1', '--warmup', '0', ...EXACT_WARMUP, '--no-save'],
    ]);
    expect(text.stdout).toMatch(/^GPU time: none \(too few ops to time: --details says what to do\)$/m);
    expect(text.stdout).not.toMatch(/1 op in 2 timed/);
  });

  it('a bad --gpu-time is one line and exit 2', () => {
    const run = runCli(['profile', '--gpu-time', 'sometimes', '--no-save']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--gpu-time must be sample/);
  });
});
