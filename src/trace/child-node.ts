import type { spawnSync as SpawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Whether a child process is a Node other than the one running the program, and which: a Node
 * older than 18.18 or 20.6 has no `--import`, and refuses to start with it in NODE_OPTIONS.
 */

/** A Node binary's name: `node`, `node.exe`, `nodejs`, `node18`. */
const NODE_NAME = /^node(js)?[\d.-]*(\.exe)?$/;

/** Whether a Node of this version (`v20.6.0`) takes `--import`: 18.18 and later 18s, 20.6 and later. */
export function takesImport(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 6) || (major === 18 && minor >= 18);
}

/** The file a command names, as the system would run it: by path, or the first match on PATH. */
function located(file: string, cwd: string, path: string): string | undefined {
  const candidates = file.includes('/')
    ? [isAbsolute(file) ? file : resolve(cwd, file)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(resolve(cwd, dir), file));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

const versions = new Map<string, string | undefined>();

/**
 * The version of the Node that `file` runs, when it is a Node binary other than this process's
 * own (asked once per binary, with `--version`, and remembered); undefined for this Node, a
 * program that is not Node by its name, or one that would not say.
 */
export function otherNodeVersion(
  file: string,
  cwd: string,
  path: string,
  spawnSync: typeof SpawnSync,
): string | undefined {
  if (!NODE_NAME.test(basename(file))) return undefined;
  const binary = located(file, cwd, path);
  if (binary === undefined || binary === realpathSync(process.execPath)) return undefined;
  if (!versions.has(binary)) {
    // Without NODE_OPTIONS: an old Node would refuse the preload's --import before answering.
    const asked = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 5000, env: { PATH: path } });
    const version = /^v\d+\.\d+\.\d+/.exec(((asked.stdout as string | null) ?? '').trim())?.[0];
    versions.set(binary, version);
  }
  return versions.get(binary);
}
