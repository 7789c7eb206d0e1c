import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { otherNodeVersion, takesImport } from './child-node.js';
import { SPAWN_TOKEN_VARIABLE } from './trace-events.js';
import { childEvent, uncoveredEvent, withPreloadOption, type TraceReach } from './trace-reach.js';

type ChildProcesses = typeof import('node:child_process');

/** Set on each function this thread replaced, so that a second call patches nothing twice. */
const COVERED = Symbol.for('wgprof.trace.coveredProcesses');

/**
 * A child's environment with the trace carried into it: the preload's `--import` added to its
 * NODE_OPTIONS (kept, or made), the trace's variables, and the token its `child` event carries.
 * The program's entries stay as given, in their order; an env without NODE_OPTIONS gets one.
 */
export function tracedEntries(
  entries: readonly (readonly [string, string])[],
  reach: TraceReach,
  token: string,
): [string, string][] {
  const ours: Record<string, string> = { ...reach.variables, [SPAWN_TOKEN_VARIABLE]: token };
  const next = entries.filter(([k]) => !(k in ours)).map(([k, v]): [string, string] => [k, v]);
  const options = next.find(([k]) => k === 'NODE_OPTIONS');
  if (options) options[1] = withPreloadOption(options[1], reach.preloadUrl);
  else next.push(['NODE_OPTIONS', withPreloadOption(undefined, reach.preloadUrl)]);
  for (const [k, v] of Object.entries(ours)) next.push([k, v]);
  return next;
}

/** A child's environment without the preload's `--import` it inherited (for a Node that has none). */
export function untracedEntries(
  entries: readonly (readonly [string, string])[],
  reach: TraceReach,
): [string, string][] {
  const option = withPreloadOption(undefined, reach.preloadUrl);
  return entries.flatMap(([k, v]): [string, string][] => {
    if (k !== 'NODE_OPTIONS') return [[k, v]];
    const rest = v.split(/\s+/).filter((o) => o !== option && o !== '');
    return rest.length > 0 ? [[k, rest.join(' ')]] : [];
  });
}

/** A child's environment as the trace starts it, and why it cannot be traced when that is known. */
interface ChildStart {
  readonly entries: [string, string][];
  readonly uncovered?: string;
}

/** What ChildProcess.prototype.spawn is given, of what the trace reads and changes. */
interface SpawnOptions {
  readonly file: string;
  readonly cwd?: string;
  readonly args?: readonly string[];
  readonly envPairs?: readonly string[];
}

function isSpawnOptions(value: unknown): value is SpawnOptions {
  return (
    typeof value === 'object' && value !== null && typeof (value as { file?: unknown }).file === 'string'
  );
}

const pair = (entry: string): [string, string] => {
  const at = entry.indexOf('=');
  return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
};

/**
 * Where, in a sync function's arguments, its options go: `execSync(command, options)`;
 * `spawnSync` and `execFileSync` take (file, args, options) or (file, options).
 */
function optionsIndex(name: SyncName, args: readonly unknown[]): number {
  if (name === 'execSync') return 1;
  const second = args[1];
  return typeof second === 'object' && second !== null && !Array.isArray(second) ? 1 : 2;
}

type SyncName = 'spawnSync' | 'execFileSync' | 'execSync';
const SYNC_NAMES: readonly SyncName[] = ['spawnSync', 'execFileSync', 'execSync'];

/**
 * Makes every child process this thread starts carry the trace, whichever function starts it:
 * `spawn`, `fork`, `exec` and `execFile` all go through ChildProcess.prototype.spawn (patched
 * there, where their options are already normalized), the sync ones through their exports. Each
 * started child is logged as a `child` event with its token; one that never logs that token (not
 * Node, or a Node that could not load the preload) is reported as not traced. Once per thread;
 * returns the undo.
 */
export function coverProcesses(reach: TraceReach): () => void {
  const processes = createRequire(import.meta.url)('node:child_process') as ChildProcesses;
  const prototype = processes.ChildProcess.prototype as unknown as Record<string, unknown>;
  const spawn = prototype.spawn as ((this: unknown, options: unknown) => unknown) & Record<symbol, unknown>;
  if (spawn[COVERED] === true) return () => undefined;
  let spawned = 0;
  const nextToken = (): string => `${process.pid}-${threadId}-${++spawned}`;
  const spawnSync = processes.spawnSync;
  const start = (
    file: string,
    cwd: string | undefined,
    entries: [string, string][],
    token: string,
  ): ChildStart => {
    const path = entries.find(([k]) => k === 'PATH')?.[1] ?? process.env.PATH ?? '';
    const version = otherNodeVersion(file, cwd ?? process.cwd(), path, spawnSync);
    if (version === undefined || takesImport(version))
      return { entries: tracedEntries(entries, reach, token) };
    return {
      entries: untracedEntries(entries, reach),
      uncovered: `it is Node ${version}, which has no --import (it came in 18.18 and 20.6) to load wgprof's preload with`,
    };
  };
  const logStart = (what: string, token: string, started: ChildStart): void =>
    reach.emit(
      started.uncovered === undefined
        ? childEvent('process', what, { token })
        : uncoveredEvent('process', what, started.uncovered),
    );

  const coveredSpawn = function (this: { pid?: number }, options: unknown): unknown {
    if (!isSpawnOptions(options)) return spawn.call(this, options);
    const token = nextToken();
    const started = start(options.file, options.cwd, (options.envPairs ?? []).map(pair), token);
    const envPairs = started.entries.map(([k, v]) => `${k}=${v}`);
    const result = spawn.call(this, { ...options, envPairs });
    // No pid: the program could not be started at all (it errs to the program as it would untraced).
    if (this.pid !== undefined) logStart((options.args ?? [options.file]).join(' '), token, started);
    return result;
  };
  Object.defineProperty(coveredSpawn, COVERED, { value: true });
  prototype.spawn = coveredSpawn;

  const exports = processes as unknown as Record<SyncName, (...args: unknown[]) => unknown>;
  const originals = SYNC_NAMES.map((name) => [name, exports[name]] as const);
  for (const [name, original] of originals) {
    exports[name] = function (this: unknown, ...args: unknown[]): unknown {
      const at = optionsIndex(name, args);
      const given = (args[at] ?? {}) as { env?: NodeJS.ProcessEnv; cwd?: string | URL };
      const token = nextToken();
      const env = Object.entries(given.env ?? process.env).filter(
        (e): e is [string, string] => e[1] !== undefined,
      );
      const cwd = given.cwd instanceof URL ? fileURLToPath(given.cwd) : given.cwd;
      // execSync's command goes to a shell, which is no Node.
      const started = start(name === 'execSync' ? '' : String(args[0]), cwd, env, token);
      const traced = [...args];
      traced[at] = { ...given, env: Object.fromEntries(started.entries) };
      const what = [args[0], ...(Array.isArray(args[1]) ? (args[1] as unknown[]) : [])].map(String).join(' ');
      let ran = true;
      try {
        const result = original.apply(this, traced);
        if (name === 'spawnSync') ran = ((result as { pid?: number }).pid ?? 0) > 0;
        return result;
      } catch (error) {
        ran = (error as NodeJS.ErrnoException).code !== 'ENOENT';
        throw error;
      } finally {
        if (ran) logStart(what, token, started);
      }
    };
  }
  syncBuiltinESMExports();
  return () => {
    prototype.spawn = spawn;
    for (const [name, original] of originals) exports[name] = original;
    syncBuiltinESMExports();
  };
}
