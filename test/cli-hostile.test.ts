import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResultFile } from '../src/results/write-result.js';
import type { ProfileResult } from '../src/results/result-types.js';
import { CLI, onlyProfileResult, runCli, tempDir, WIDE } from './support/cli.js';

/** The small, quick run each case starts from. */
const RUN = ['profile', '--kernel', 'noop', '--size', '1K', '--warmup', '5'];

/** Mounts a tmpfs of `size` with `options` at a new folder; undefined where mounting is not allowed. */
function mountTmpfs(size: string, options = ''): string | undefined {
  const dir = tempDir('wgprof-mount-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${options}`, 'tmpfs', dir]);
  return mounted.status === 0 ? dir : undefined;
}

function unmount(dir: string | undefined): void {
  if (dir) spawnSync('umount', [dir]);
}

/** The measuring processes started from this checkout's dist/ that are still running. */
function measuringProcesses(): string[] {
  const found = spawnSync('pgrep', ['-f', join(CLI, '..', '..', 'runner', 'child-entry.js')], {
    encoding: 'utf8',
  });
  return found.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** The CLI started in the background: its process, its exit code to come, and its stderr so far. */
function startCli(args: readonly string[]): {
  cli: ReturnType<typeof spawn>;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const cli = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, COLUMNS: WIDE } });
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
  return { cli, exited, stderr: () => stderr };
}

describe('a full disk', () => {
  let full: string | undefined;
  beforeAll(() => {
    full = mountTmpfs('64k');
  });
  afterAll(() => {
    unmount(full);
  });

  it('leaves no truncated result.json: the result is complete or absent, and exit 7 says which', () => {
    // The test machines run as root; a machine that may not mount has no full disk to offer.
    expect(full, 'mount a 64 KiB tmpfs (needs root)').toBeDefined();
    const out = full ?? '';
    // Three strategies, 340 ops each (no fresh worker per op, which would take most of a minute):
    // about 200 KB of result, three times the disk.
    const run = runCli([...RUN, '--strategy', 'main,reused,persistent', '--ops', '340', '--out', out]);
    expect(run.status).toBe(7);
    expect(run.stderr).toMatch(/^wgprof: error: cannot write .*result\.json: the disk is full$/m);
    expect(run.stdout).not.toMatch(/^result: /m);
    expect(run.stdout).toMatch(/result\.json not written/);
    // The view was printed all the same: the measurements are not lost to the terminal.
    expect(run.stdout).toMatch(/^scenario +ops\/s +per op/m);
    for (const folder of readdirSync(out))
      expect(readdirSync(join(out, folder))).not.toContain('result.json');
  });
});

describe('--out that cannot take the result', () => {
  it('a file: refused before anything is measured (exit 7)', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    const started = Date.now();
    const run = runCli([...RUN, '--ops', '400', '--out', join(file, 'below')]);
    expect(run.status).toBe(7);
    expect(run.stderr.trim()).toMatch(
      /^wgprof: error: cannot write results to .*a-file\/below: it, or a folder above it, is a file \(--out\)$/,
    );
    expect(run.stdout).toBe('');
    // No run was spent: a 400-op profile of every strategy takes far longer than the refusal.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a read-only file system: said as such, not as ENOENT', () => {
    const readOnly = mountTmpfs('1m', ',ro');
    try {
      expect(readOnly, 'mount a read-only tmpfs (needs root)').toBeDefined();
      const run = runCli([...RUN, '--ops', '400', '--out', join(readOnly ?? '', 'results')]);
      expect(run.status).toBe(7);
      expect(run.stderr.trim()).toMatch(/: it is on a read-only file system \(--out\)$/);
      expect(run.stderr).not.toMatch(/ENOENT/);
    } finally {
      unmount(readOnly);
    }
  });
});

describe('two results created in the same millisecond', () => {
  it('get folders of their own: neither replaces the other', async () => {
    const out = tempDir();
    const at = new Date('2026-12-01T12:00:00.000Z');
    const first = await writeResultFile(out, 'profile', at, { n: 1 });
    const second = await writeResultFile(out, 'profile', at, { n: 2 });
    expect(second).not.toBe(first);
    expect(readdirSync(out)).toHaveLength(2);
    expect(JSON.parse(readFileSync(first, 'utf8'))).toEqual({ n: 1 });
    expect(JSON.parse(readFileSync(second, 'utf8'))).toEqual({ n: 2 });
  });
});

describe('the CSV of a result', () => {
  it('neutralises cells a spreadsheet would run as formulas, and leaves every number alone', async () => {
    const out = tempDir();
    expect(runCli([...RUN, '--strategy', 'main', '--ops', '20', '--out', out]).status).toBe(0);
    const result = await onlyProfileResult(out);
    const run = result.runs[0];
    if (!run) throw new Error('no run');
    // A scenario label and an error message as a hostile result file could carry them.
    const hostile: ProfileResult = {
      ...result,
      runs: [
        {
          ...run,
          label: '=HYPERLINK("http://x.invalid","main")',
          records: {
            ...run.records,
            failures: [{ index: 3, status: 'failed', message: '@SUM(1+2)*cmd|"/C calc"!A0' }],
          },
        },
      ],
    };
    const file = join(tempDir(), 'result.json');
    writeFileSync(file, JSON.stringify(hostile));
    const csv = runCli(['report', file, '--format', 'csv']);
    expect(csv.status, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines.slice(1).every((line) => line.startsWith(`"'=HYPERLINK(`))).toBe(true);
    expect(csv.stdout).toContain(`'@SUM(1+2)`);
    // Numbers are written as they were: the start of op 0 is the stored one, unprefixed.
    expect(lines[1]).toContain(`,${run.records.startNs[0] ?? NaN},`);
  });
});

describe('durations and counts past what Node can hold', () => {
  for (const [flag, value] of [
    ['--op-timeout', '36000m'],
    ['--time-budget', '99999999999999999999'],
  ] as const) {
    it(`${flag} ${value}: refused with the limit named (exit 2), not a timer that fires at once`, () => {
      const run = runCli([...RUN, '--ops', '40', flag, value, '--no-save']);
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(
        `wgprof: error: ${flag} must be at most 2147483647 ms (24.8 days, the longest delay Node's timers keep), not '${value}'`,
      );
    });
  }

  it('a timeout just under the limit runs normally under the pool and the reused worker', () => {
    const run = runCli([
      ...RUN,
      '--ops',
      '20',
      '--strategy',
      'pool,reused,persistent',
      '--op-timeout',
      '35000m',
      '--json',
      '--no-save',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ProfileResult;
    for (const r of result.runs) expect([r.label, r.opsOk, r.opsTimedOut]).toEqual([r.label, 20, 0]);
  });

  it('--ops past 2^53 says it is too large, not "must be at least 1"', () => {
    const run = runCli([...RUN, '--ops', '99999999999999999999', '--no-save']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'wgprof: error: --ops 99999999999999999999 is too large: it must be at most 9007199254740991 ' +
        '(2^53 - 1, the largest whole number JavaScript counts exactly)',
    );
  });
});

describe('--warmup past what --time-budget allows', () => {
  it('stops when the budget is spent, measures the ops after it, and says so (exit 0)', async () => {
    const out = tempDir();
    const started = Date.now();
    const { cli, exited } = startCli([
      ...RUN.filter((a) => a !== '--warmup' && a !== '5'),
      '--warmup',
      '99999999999999',
      '--time-budget',
      '5s',
      '--replicates',
      '1',
      '--strategy',
      'main,pool,persistent',
      '--details',
      '--out',
      out,
    ]);
    let stdout = '';
    cli.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    // Before, the warm-up ran on for as long as it took (hours): give up on it well before that.
    const limit = setTimeout(() => cli.kill('SIGKILL'), 60_000);
    const status = await exited.finally(() => {
      clearTimeout(limit);
    });
    expect(status).toBe(0);
    // A 5 s budget over three processes, each with its start and settle: far below a minute.
    expect(Date.now() - started).toBeLessThan(45_000);
    // Every process's warm-up was cut: the three of the first round, and any the run had time to add.
    const cut =
      /; warm-up 99999999999999 ops and at least 250 ms per process, cut short by the --time-budget in (\d+) of them \((\d+|\d+ to \d+) ops ran there\)$/m.exec(
        stdout,
      );
    expect(cut, stdout).not.toBeNull();
    expect(Number(cut?.[1])).toBeGreaterThanOrEqual(3);
    expect(stdout).toMatch(new RegExp(`\\(${cut?.[1] ?? '?'} processes, one at a time`));
    const result = await onlyProfileResult(out);
    for (const run of result.runs) {
      // At least one chunk of ops measured after the cut warm-up.
      expect(run.opsOk, run.label).toBeGreaterThanOrEqual(20);
      expect(run.replicates?.[0]?.warmupOps, run.label).toBeLessThan(99999999999999);
    }
    const warned = (result.warnings ?? [])
      .filter((w) => w.code === 'warmup-cut-short')
      .map((w) => w.scenario);
    expect([...new Set(warned)]).toEqual(['main', 'pool/1', 'persistent']);
  }, 70_000);
});

describe('killing the CLI', () => {
  it('ends its measuring process too, within a couple of seconds', async () => {
    const before = measuringProcesses();
    const cli = spawn(
      process.execPath,
      [CLI, ...RUN, '--time-budget', '40s', '--max-noise', '0.1%', '--no-save'],
      {
        stdio: 'ignore',
      },
    );
    // Until the measuring process is there and measuring.
    for (let i = 0; i < 100 && measuringProcesses().length <= before.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(measuringProcesses().length).toBeGreaterThan(before.length);
    await new Promise((r) => setTimeout(r, 2000));
    cli.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2000));
    expect(measuringProcesses()).toEqual(before);
  });
});

describe('killing a measuring process mid-run', () => {
  it('keeps the replicates measured before it, names the signal, and exits 5', async () => {
    const out = tempDir();
    const before = new Set(measuringProcesses());
    // Three replicates of about 3 s each (the --replicates rounds take half the budget): the
    // second one's process is killed.
    const { exited, stderr } = startCli([
      ...RUN,
      '--strategy',
      'main',
      '--time-budget',
      '18s',
      '--max-noise',
      '0.01%',
      '--out',
      out,
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 300 && seen.length < 2; i++) {
      for (const pid of measuringProcesses()) if (!before.has(pid) && !seen.includes(pid)) seen.push(pid);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen.length).toBe(2);
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(Number(seen[1]), 'SIGKILL');
    expect(await exited).toBe(5);
    expect(stderr()).toMatch(
      /^wgprof: error: the measuring process was killed by SIGKILL while it measured main; the ops measured before it are in .*result\.json\n$/m,
    );
    const result = await onlyProfileResult(out);
    expect(result.rounds.stoppedBy).toBe('process-died');
    expect(result.runs[0]?.replicates).toHaveLength(1);
    expect(result.runs[0]?.opsOk).toBeGreaterThan(0);
  }, 60_000);
});

describe('a second Ctrl-C', () => {
  it('quits at once and says that nothing was saved (exit 130)', async () => {
    const out = tempDir();
    // Ops of about 10 ms, 20 to a chunk: the first signal's stop is still on its way at the second.
    const { cli, exited, stderr } = startCli([
      'profile',
      '--strategy',
      'main',
      '--size',
      '1M',
      '--time-budget',
      '60s',
      '--max-noise',
      '0.01%',
      '--out',
      out,
    ]);
    await new Promise((r) => setTimeout(r, 5000));
    cli.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 30));
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr()).toMatch(/^wgprof: quit at once: nothing of this run was saved or printed$/m);
    expect(readdirSync(out)).toEqual([]);
  });
});
