import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateResult } from '../src/results/validate-result.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { EXACT_WARMUP, profileJson, runCli, tempDir } from './support/cli.js';

/**
 * Rates through the real CLI on lavapipe: each op's declared work over its times, and their
 * shares of a real `wgprof peak` of this adapter, saved where `profile` finds it.
 */
let out: string;
beforeAll(() => {
  out = tempDir('wgprof-rates-');
  const peak = runCli(['peak', '--out', out, '--json'], { timeoutMs: 120_000 });
  expect(peak.status, peak.stderr).toBe(0);
}, 150_000);

const SHORT = ['--strategy', 'main', '--ops', '24', '--replicates', '1', '--warmup', '4', ...EXACT_WARMUP];
const profile = (args: readonly string[]): ProfileResult => {
  const run = profileJson([...args, ...SHORT, '--out', out]);
  expect(run.status, run.stderr).toBe(0);
  return run.result;
};

describe('rates against the measured peak', () => {
  it('scale: bytes/s over GPU time and total, its share of the bandwidth, memory-bound; the result validates', () => {
    const result = profile(['--kernel', 'scale', '--size', '256K']);
    expect(result.config.work).toMatchObject({ bytes: 2 * 4 * 262144, flops: 2 * 262144, from: 'kernel' });
    expect(result.peak?.from).toBe('saved');
    const [main] = result.runs;
    const kernel = main?.rates?.kernel?.bytesPerSecond;
    const op = main?.rates?.op?.bytesPerSecond;
    expect(kernel?.value).toBeGreaterThan(0);
    expect(kernel?.low).toBeLessThanOrEqual(kernel?.value ?? 0);
    expect(kernel?.high).toBeGreaterThanOrEqual(kernel?.value ?? Infinity);
    // The whole op takes longer than its kernel: its rate is lower.
    expect(op?.value).toBeLessThan(kernel?.value ?? 0);
    const share = main?.rates?.ofPeak?.kernel;
    expect(share?.binds).toBe('memory');
    expect(share?.bandwidth?.value).toBeCloseTo(
      (kernel?.value ?? 0) / (result.peak?.bandwidth.value ?? 1),
      9,
    );
    // No built-in reports more of the bandwidth than the device has, beyond the CIs.
    expect(share?.bandwidth?.low).toBeLessThanOrEqual(1);
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toMatchObject({ ok: true });
  });

  it('matmul: far above the ridge point, compute-bound, with FLOP/s and its share of the f32 peak', () => {
    const result = profile(['--kernel', 'matmul', '--size', '16K']);
    const side = 128;
    expect(result.config.work).toMatchObject({ flops: 2 * side ** 3, bytes: 3 * side * side * 4 });
    const share = result.runs[0]?.rates?.ofPeak?.kernel;
    expect(share?.binds).toBe('compute');
    expect(share?.flops?.value).toBeGreaterThan(0);
    expect(share?.flops?.low).toBeLessThanOrEqual(1);
  });

  it('says it in one line of the short view, and in a table of --details', () => {
    const args = ['profile', '--kernel', 'scale', '--size', '256K', ...SHORT, '--out', out, '--no-save'];
    const view = runCli(args);
    expect(view.status, view.stderr).toBe(0);
    expect(view.stdout).toMatch(
      /^rate: the kernel runs at [\d.]+% of this device's measured bandwidth \([\d.]+ [kMG]?B\/s\): memory-bound; the op as a whole at [\d.]+%/m,
    );
    expect(view.stdout).toMatch(/kernel rate/);
    // At 80 columns the short form, on one line.
    const narrow = runCli(args, { env: { COLUMNS: '80' } });
    const lines = narrow.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('rate: '));
    expect(lines[at]).toMatch(
      /^rate: kernel [\d.,]+ [kMG]?B\/s, [\d.]+% of measured bandwidth, memory-bound; whole op [\d.]+%$/,
    );
    expect(lines[at]?.length).toBeLessThanOrEqual(80);
    expect(lines[at + 1]?.startsWith('  ')).toBe(false);
    const details = runCli([...args, '--details']);
    expect(details.stdout).toMatch(/Rates \(the op's work over its median times\):/);
    expect(details.stdout).toMatch(/Work per op: 2\.10 MB read \+ written, 524 kFLOP/);
  });

  it('--peak measures the limits first and says so in the result', () => {
    const run = profileJson(['--kernel', 'add', '--size', '64K', ...SHORT, '--peak', '--out', tempDir()], {
      timeoutMs: 180_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.result.peak?.from).toBe('measured');
    expect(run.result.runs[0]?.rates?.ofPeak?.kernel?.bandwidth).toBeDefined();
  }, 200_000);
});

describe('breakdown and sync against the measured floors', () => {
  it("keep the adapter's peak in their result and set the op against its floors", () => {
    for (const [kind, words] of [
      [
        'breakdown',
        /^the GPU's minimum round trip here \(wgprof peak: the smallest dispatch, submitted and awaited\) is [\d.]+ [mu]s: [\d.]+% of the fresh-worker op, [\d.]+% of the main-thread op$/m,
      ],
      [
        'sync',
        /^this adapter's measured floors \(wgprof peak of \d{4}-\d\d-\d\d\): an empty submit awaited [\d.]+ [mu]s, the smallest dispatch [\d.]+ [mu]s$/m,
      ],
    ] as const) {
      const args = [kind, '--reps', '3', '--size', '1K', '--out', out, '--no-save'];
      const json = runCli([...args, '--json'], { timeoutMs: 180_000 });
      expect(json.status, json.stderr).toBe(0);
      const result = JSON.parse(json.stdout) as { peak?: { floors: { dispatchNs: number } } };
      expect(result.peak?.floors.dispatchNs, kind).toBeGreaterThan(0);
      expect(validateResult(result), kind).toMatchObject({ ok: true });
      const view = runCli(args, { timeoutMs: 180_000 });
      expect(view.stdout, kind).toMatch(words);
    }
  }, 400_000);
});

describe('what an op says it does', () => {
  const SAXPY = [
    '--kernel',
    'shaders/examples/saxpy.wgsl',
    '--uniform',
    'n=size',
    '--uniform',
    'a=2',
    '--size',
    '64K',
  ];

  it('a WGSL kernel of your own has a rate with --work, and none without', () => {
    const withWork = profile([...SAXPY, '--work', 'bytes=3*size*elementBytes,flops=2*size']);
    expect(withWork.config.work).toMatchObject({ bytes: 3 * 65536 * 4, flops: 2 * 65536, from: '--work' });
    expect(withWork.runs[0]?.rates?.kernel?.bytesPerSecond?.value).toBeGreaterThan(0);
    const without = profile(SAXPY);
    expect(without.config.work).toBeUndefined();
    expect(without.runs[0]?.rates).toBeUndefined();
    const view = runCli(['profile', ...SAXPY, ...SHORT, '--no-save', '--out', out]);
    expect(view.stdout).not.toMatch(/^rate:/m);
  });

  it('the multi-pass example declares its work in a work() export', () => {
    const result = profile(['--op', join('examples', 'multi-pass.mjs'), '--op-arg', 'n=65536']);
    expect(result.config.work).toMatchObject({ from: 'op module', flops: 2 * 65536 });
    expect(result.runs[0]?.rates?.ofPeak?.kernel?.bandwidth?.value).toBeGreaterThan(0);
  });

  it('a bad --work is one line and exit 2, before anything runs', () => {
    for (const work of ['bytes=8*n', 'bytes=size-2*size', 'speed=3', 'flops=1/0']) {
      const run = runCli(['profile', '--kernel', 'scale', '--work', work, '--no-save']);
      expect(run.status, work).toBe(2);
      expect(run.stderr.trim().split('\n'), work).toHaveLength(1);
      expect(run.stderr, work).toMatch(/^wgprof: error: --work/);
    }
  });
});
