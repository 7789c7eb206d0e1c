import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResultFile } from '../../src/results/read-result.js';
import type { ProfileResult } from '../../src/results/result-types.js';

/** The built CLI, as a user runs it (npm test builds first). */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

/**
 * For runs with an injected fault (WGPROF_INJECT_FAULT=KIND@N): exactly --warmup warm-up ops. A
 * fault strikes at a counted op, and a worker counts its warm-up ops too; the warm-up floor
 * (--warmup-min) would add as many as fit in its time.
 */
export const EXACT_WARMUP = ['--warmup-min', '0'] as const;

/**
 * The terminal width the CLI tests give wgprof: wide enough that no line of its text is wrapped
 * or table split, so that a test reads what it looks for on one line. The views' fitting to 80,
 * 100 and 120 columns is tested on the views themselves (reports-terminal.test.ts).
 */
export const WIDE = '1000';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, COLUMNS: WIDE, ...options.env },
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `wgprof profile ARGS --json --no-save`, its result parsed: what most CLI tests read. Throws,
 * with wgprof's stderr, when stdout holds no JSON result (a usage error, a crash).
 */
export function profileJson(
  args: readonly string[],
  options: Parameters<typeof runCli>[1] = {},
): CliRun & { readonly result: ProfileResult } {
  const run = runCli(['profile', ...args, '--json', '--no-save'], options);
  let result: ProfileResult;
  try {
    result = JSON.parse(run.stdout) as ProfileResult;
  } catch {
    throw new Error(`no JSON result (exit ${run.status}): ${run.stderr}`);
  }
  return { ...run, result };
}

export function tempDir(prefix = 'wgprof-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The result.json of every run folder the CLI wrote under `out`. */
export function resultFiles(out: string): string[] {
  return readdirSync(out).map((run) => join(out, run, 'result.json'));
}

/** The one profile result a run wrote under `out`, read and validated as `wgprof report` reads it. */
export async function onlyProfileResult(out: string): Promise<ProfileResult> {
  const [file, ...more] = resultFiles(out);
  if (!file || more.length > 0) throw new Error(`expected one run folder in ${out}`);
  const result = await readResultFile(file);
  if (result.kind !== 'profile') throw new Error('expected a profile result');
  return result;
}
