import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultFile } from '../src/results/read-result.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { CLI, EXACT_WARMUP, onlyProfileResult, runCli, tempDir, WIDE } from './support/cli.js';

/** Starts a long run, sends `signal` to the CLI process after `afterMs`, and waits for its exit. */
function interruptedRun(
  signal: NodeJS.Signals,
  out: string,
  afterMs = 4000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // --max-noise this small is never reached: only the signal ends the run.
    const child = spawn(
      process.execPath,
      [
        CLI,
        'profile',
        '--strategy',
        'main,reused',
        '--kernel',
        'noop',
        '--size',
        '1K',
        '--max-noise',
        '0.01%',
        '--time-budget',
        '120s',
        '--out',
        out,
      ],
      { env: { ...process.env, COLUMNS: WIDE } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    setTimeout(() => child.kill(signal), afterMs);
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a signal during a run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} writes what was measured so far and exits 130`, async () => {
      const out = tempDir();
      const run = await interruptedRun(signal, out);
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(/stopping: writing what was measured so far/);
      expect(run.stderr).toMatch(/interrupted: the ops measured before the stop are in .*result\.json/);
      expect(run.stdout).toMatch(/interrupted: these are the ops measured before it/);
      const [dir] = readdirSync(out);
      const result = await readResultFile(join(out, dir ?? '', 'result.json'));
      if (result.kind !== 'profile') throw new Error('expected a profile result');
      expect(result.rounds.stoppedBy).toBe('interrupted');
      for (const r of result.runs) expect(r.opsOk, r.label).toBeGreaterThan(0);
      expect(readdirSync(join(out, dir ?? ''))).toEqual(['report.html', 'report.md', 'result.json']);
    });
  }
});

describe('a device lost in the middle of a run', () => {
  it('is named, and the records taken before it are kept and written (exit 5)', async () => {
    const out = tempDir();
    const run = runCli(
      [
        'profile',
        '--replicates', // one process per scenario: the injected fault strikes once
        '1',
        '--strategy',
        'main',
        '--kernel',
        'noop',
        '--size',
        '1K',
        '--ops',
        '100',
        '--warmup',
        '5',
        ...EXACT_WARMUP,
        '--out',
        out,
      ],
      {
        env: { WGPROF_INJECT_FAULT: 'lose@30' },
      },
    );
    expect(run.status).toBe(5);
    expect(run.stdout).toMatch(/the GPU device was lost during main \(destroyed/);
    expect(run.stdout).toMatch(/the GPU device was lost: these are the ops measured before it/);
    expect(run.stderr).toMatch(
      /^wgprof: error: the GPU device was lost during main .*; the ops measured before it are in .*result\.json$/m,
    );
    const result = await onlyProfileResult(out);
    // The cold op is the thread's 1st, then 28 timed ops ok; the 30th, during which the device
    // was destroyed, is recorded as lost (a destroyed queue answers at once: it measured nothing).
    expect(result.runs[0]?.opsOk).toBe(28);
    expect(result.runs[0]?.records.failures).toEqual([
      { index: 29, status: 'lost', message: expect.stringMatching(/destroyed/) as unknown },
    ]);
    expect(result.runs[0]?.deviceLost).toMatch(/destroyed/);
  });

  it('a kernel that never finishes on the main thread: that op times out, the device is abandoned, the earlier records are kept (exit 5)', async () => {
    const out = tempDir();
    const run = runCli(
      [
        'profile',
        '--replicates', // one process per scenario: the injected fault strikes once
        '1',
        '--strategy',
        'main',
        '--kernel',
        'noop',
        '--size',
        '1K',
        '--ops',
        '100',
        '--op-timeout',
        '2s',
        ...EXACT_WARMUP,
        '--out',
        out,
      ],
      { env: { WGPROF_INJECT_FAULT: 'gpu-hang@25' }, timeoutMs: 60_000 },
    );
    expect(run.status).toBe(5);
    expect(run.stdout).toMatch(/the GPU stopped answering during main: an op did not finish within 2000 ms/);
    expect(run.stderr).toMatch(
      /^wgprof: error: the GPU stopped answering during main: .*; the ops measured before it are in .*result\.json$/m,
    );
    expect(run.stderr).not.toMatch(/dawn:/);
    const result = await onlyProfileResult(out);
    expect(result.rounds.stoppedBy).toBe('device-lost');
    const [main] = result.runs;
    // The cold op and 23 timed ops before the 25th, which timed out.
    expect(main?.opsOk).toBe(23);
    expect(main?.opsTimedOut).toBe(1);
    expect(main?.records.failures).toEqual([
      {
        index: 24,
        status: 'timeout',
        message: expect.stringMatching(/did not finish within 2000 ms/) as unknown,
      },
    ]);
  });

  it('a kernel that never finishes in a pool thread: that op times out, the thread opens a new device and the run goes on', () => {
    const run = runCli(
      [
        'profile',
        '--replicates', // one process per scenario: the injected fault strikes once
        '1',
        '--strategy',
        'pool',
        '--kernel',
        'noop',
        '--size',
        '1K',
        '--ops',
        '60',
        '--op-timeout',
        '2s',
        ...EXACT_WARMUP,
        '--json',
        '--no-save',
      ],
      { env: { WGPROF_INJECT_FAULT: 'gpu-hang@25' }, timeoutMs: 60_000 },
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as ProfileResult;
    const [pool] = result.runs;
    expect(pool?.opsTimedOut).toBe(1);
    expect(pool?.opsOk).toBe(59);
    // The thread's second device makes a second cold op.
    expect(pool?.records.cold.length).toBe(2);
  });

  it("a user's kernel that never finishes: every op fails, nothing hangs (exit 5)", () => {
    const path = join(tempDir(), 'endless.wgsl');
    writeFileSync(
      path,
      [
        '@group(0) @binding(0) var<storage, read_write> state: array<u32>;',
        '@compute @workgroup_size(1)',
        'fn main() {',
        '  var x = state[0];',
        '  for (var i = 0u; i < 0xffffffffu; i++) {',
        '    for (var j = 0u; j < 0xffffffffu; j++) { x = x * 1664525u + 1u; state[1] = x; }',
        '  }',
        '}',
      ].join('\n'),
    );
    const run = runCli(
      [
        'profile',
        '--replicates', // one process per scenario: the injected fault strikes once
        '1',
        '--strategy',
        'main',
        '--kernel',
        path,
        '--size',
        '2',
        '--ops',
        '10',
        '--op-timeout',
        '1s',
        '--no-save',
      ],
      { timeoutMs: 60_000 },
    );
    expect(run.status).toBe(5);
    expect(run.stderr).toMatch(/the GPU stopped answering during main: an op did not finish within 1000 ms/);
  });
});
