import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ProfileResult } from '../results/result-types.js';

// The built CLI, as a user runs it: two levels up is the repository from src/ and dist/ alike.
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** What every bench row that runs `wgprof profile` as a user would adds to its arguments. */
export const PROFILE_FLAGS = ['--json', '--no-save', '--quiet'] as const;

export interface ProfileRun {
  readonly wallNs: number;
  /** The JSON the CLI printed, as it printed it. */
  readonly text: string;
  readonly result: ProfileResult;
}

/** `wgprof profile ARGS --json --no-save --quiet` as a plain child process; its JSON from stdout. */
export async function profileJson(args: readonly string[]): Promise<ProfileRun> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'profile', ...args, ...PROFILE_FLAGS], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallNs = Number(process.hrtime.bigint() - start);
  const command = `wgprof profile ${[...args, ...PROFILE_FLAGS].join(' ')}`;
  if (code !== 0) {
    const last = stderr.trim().split('\n').pop() ?? '';
    throw new Error(`${command} exited with ${code}: ${last}`);
  }
  const text = Buffer.concat(stdout).toString('utf8');
  let result: ProfileResult;
  try {
    result = JSON.parse(text) as ProfileResult;
  } catch {
    throw new Error(`${command} printed no JSON result (${text.length} characters on stdout)`);
  }
  return { wallNs, text, result };
}
