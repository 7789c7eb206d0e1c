import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ProfileResult } from '../results/result-types.js';

/**
 * The bench's child programs as a user would start them: plain `node` processes (no execArgv,
 * the environment as it is), and `wgprof profile` through the built CLI, its JSON from stdout.
 */

// The built CLI: two levels up is the repository from src/ and dist/ alike.
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** What every bench row that runs `wgprof profile` as a user would adds to its arguments. */
export const PROFILE_FLAGS = ['--json', '--no-save', '--quiet'] as const;

/**
 * A bench row's profile of the main thread alone at a fixed op count: --ops fixes the counts
 * every case is compared at, and the time budget only guards against a run that hangs.
 */
export function mainOnlyArgs(ops: number, replicates: number): string[] {
  return [
    '--strategy',
    'main',
    '--ops',
    String(ops),
    '--replicates',
    String(replicates),
    '--time-budget',
    '120s',
  ];
}

/** Longer than any run of the full plan takes: a program that hangs fails its row instead of the bench. */
const RUN_TIMEOUT_MS = 600_000;

/** `node ARGS`; its stdout and wall time. @throws naming `name` when it exits other than 0. */
export async function runNode(
  args: readonly string[],
  name = `node ${args.join(' ')}`,
): Promise<{ stdout: string; wallNs: number }> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  const wallNs = Number(process.hrtime.bigint() - start);
  if (code !== 0) {
    // Stack frames and Node's footer after an uncaught error ("Node.js v20.20.2") say nothing of the error.
    const last = stderr
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^\s+at /.test(line) && !/^Node\.js v\d/.test(line))
      .slice(-2)
      .join(' | ');
    throw new Error(`${name} exited with ${signal ?? code}: ${last}`);
  }
  return { stdout: Buffer.concat(stdout).toString('utf8'), wallNs };
}

export interface ProfileRun {
  readonly wallNs: number;
  /** The JSON the CLI printed, as it printed it. */
  readonly text: string;
  readonly result: ProfileResult;
}

/** `wgprof profile ARGS --json --no-save --quiet` as a plain child process; its JSON from stdout. */
export async function profileJson(args: readonly string[]): Promise<ProfileRun> {
  const command = `wgprof profile ${[...args, ...PROFILE_FLAGS].join(' ')}`;
  const { stdout: text, wallNs } = await runNode([CLI, 'profile', ...args, ...PROFILE_FLAGS], command);
  let result: ProfileResult;
  try {
    result = JSON.parse(text) as ProfileResult;
  } catch {
    throw new Error(`${command} printed no JSON result (${text.length} characters on stdout)`);
  }
  return { wallNs, text, result };
}
