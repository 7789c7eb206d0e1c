import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../errors.js';
import { runRounds, type RoundsOutcome } from '../measurement/rounds.js';
import { assembleProfile } from '../runner/assemble-result.js';
import { collectEnvironment } from '../results/environment.js';
import { benchStrategies, closeAll, NOOP_OP, openBenchGpu } from './bench-gpu.js';

/**
 * A process of its own that runs the profile path several times and reports what each run left
 * behind. memory.ts forks it (with --expose-gc) so that nothing else the bench did sits in its
 * memory, and so that it can run under another malloc configuration.
 */
export interface RepeatedProfilesRequest {
  readonly runs: number;
  readonly ops: number;
}

/** The process after a run, its workers gone and full GCs done. */
export interface AfterRun {
  readonly rssBytes: number;
  /** JS heap plus array buffers. */
  readonly liveBytes: number;
  /** Threads of the process and its open file descriptors (Linux only). */
  readonly threads?: number;
  readonly fds?: number;
}

export type RepeatedProfilesResponse =
  | { readonly type: 'done'; readonly warmUp: AfterRun; readonly after: readonly AfterRun[] }
  | { readonly type: 'error'; readonly message: string };

/** A full collection, after letting exited workers and settled promises release what they held. */
async function collect(): Promise<void> {
  if (!globalThis.gc) throw new Error('repeated-profiles needs --expose-gc');
  await sleep(200);
  globalThis.gc();
  globalThis.gc();
}

function processCounts(): { threads?: number; fds?: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
    return { threads, fds: readdirSync('/proc/self/fd').length };
  } catch {
    return {};
  }
}

async function afterRun(): Promise<AfterRun> {
  await collect();
  const m = process.memoryUsage();
  return { rssBytes: m.rss, liveBytes: m.heapUsed + m.arrayBuffers, ...processCounts() };
}

/**
 * One profile as the measuring process runs it: open the device, plan the op, start every
 * strategy, run the rounds, close everything, build the result and serialise it.
 */
async function profileOnce(ops: number): Promise<void> {
  const bench = await openBenchGpu({ ...NOOP_OP, strategy: 'all', ops: String(ops), warmup: '5' });
  const strategies = benchStrategies(bench);
  const { config, gpu } = bench.context;
  let rounds: RoundsOutcome;
  try {
    for (const strategy of strategies) await strategy.start();
    rounds = await runRounds(strategies, {
      count: ops,
      maxNoise: 0,
      timeBudgetMs: Number.POSITIVE_INFINITY,
      chunk: config.chunk,
      minCount: 0,
    });
  } finally {
    await closeAll(strategies, bench);
  }
  const result = assembleProfile(
    { command: ['wgprof', 'bench'], environment: collectEnvironment(), device: gpu.info, config },
    strategies,
    rounds,
  );
  if (JSON.stringify(result).length === 0) throw new Error('empty result');
}

async function repeat(request: RepeatedProfilesRequest): Promise<RepeatedProfilesResponse> {
  // The first run loads modules, compiles code and grows the heap once: it is not counted.
  await profileOnce(request.ops);
  const warmUp = await afterRun();
  const after: AfterRun[] = [];
  for (let run = 0; run < request.runs; run++) {
    await profileOnce(request.ops);
    after.push(await afterRun());
  }
  return { type: 'done', warmUp, after };
}

if (process.send) {
  process.once('message', (request: RepeatedProfilesRequest) => {
    void repeat(request)
      .catch((error: unknown) => ({ type: 'error', message: messageOf(error) }) as const)
      .then((response) => {
        process.send?.(response, undefined, undefined, () => {
          process.disconnect();
          setTimeout(() => process.exit(0), 100).unref();
        });
      });
  });
}
