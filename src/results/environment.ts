import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** The machine a run ran on, in enough detail to tell two machines' results apart. */
export interface Environment {
  readonly os: {
    readonly platform: string;
    readonly type: string;
    readonly release: string;
    readonly version: string;
    readonly arch: string;
  };
  readonly cpu: { readonly model: string; readonly cores: number };
  readonly memoryBytes: number;
  readonly node: string;
  readonly webgpu: string;
  readonly wgprof: string;
  readonly timer: TimerQuality;
  /**
   * The environment variables that change how the op runs (the allocator, the driver, Node's
   * thread pool), as the measuring process saw them: wgprof sets none of them, and this says what
   * the user's own environment held. Absent in results written before wgprof recorded them.
   */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * What recording one op costs the op loop, median ns per op: with the clock's floor, the
   * smallest difference between two scenarios that means anything. Absent until measured.
   */
  readonly recordingCostNs?: number;
  /**
   * The Node flags of the process that asked for the measurement (the user's own, through the
   * API) that the measuring processes were started with, and those left out with why
   * (runner/node-flags.ts). Absent in results written before wgprof chose them.
   */
  readonly nodeFlags?: {
    readonly passed: readonly string[];
    readonly dropped: readonly { readonly flag: string; readonly why: string }[];
  };
}

/** process.hrtime.bigint() as measured at start: the floor below which differences mean nothing. */
export interface TimerQuality {
  readonly clock: 'process.hrtime.bigint';
  /** Smallest non-zero step seen between two readings, ns. */
  readonly resolutionNs: number;
  /** Median cost of one reading, ns. */
  readonly costNs: number;
}

export function measureTimer(samples = 2001): TimerQuality {
  const deltas = new Float64Array(samples);
  let resolution = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    const a = process.hrtime.bigint();
    let b = process.hrtime.bigint();
    deltas[i] = Number(b - a);
    // Spin until the clock moves to find its step.
    while (b === a) b = process.hrtime.bigint();
    resolution = Math.min(resolution, Number(b - a));
  }
  deltas.sort();
  return { clock: 'process.hrtime.bigint', resolutionNs: resolution, costNs: deltas[samples >> 1] ?? NaN };
}

function packageVersion(path: string | URL): string {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function wgprofVersion(): string {
  return packageVersion(new URL('../../package.json', import.meta.url));
}

function webgpuVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('webgpu');
    return packageVersion(entry.replace(/index\.js$/, 'package.json'));
  } catch {
    return 'unknown';
  }
}

/** Names (and prefixes, ending in _) of variables that change what an op costs. */
const RELEVANT_VARIABLES = [
  'MALLOC_',
  'GLIBC_TUNABLES',
  'LD_PRELOAD',
  'UV_THREADPOOL_SIZE',
  'NODE_OPTIONS',
  'LP_',
  'GALLIUM_',
  'VK_',
  'MESA_',
  'DAWN_',
  'LIBGL_',
];

export function relevantVariables(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (value === undefined) continue;
    if (RELEVANT_VARIABLES.some((v) => (v.endsWith('_') ? name.startsWith(v) : name === v)))
      out[name] = value;
  }
  return out;
}

export function collectEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    os: {
      platform: process.platform,
      type: os.type(),
      release: os.release(),
      version: os.version(),
      arch: process.arch,
    },
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length },
    memoryBytes: os.totalmem(),
    node: process.version,
    webgpu: webgpuVersion(),
    wgprof: wgprofVersion(),
    timer: measureTimer(),
    variables: relevantVariables(),
  };
}
