import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { profile, type ProfileRunOptions } from '../api/index.js';
import { messageOf } from '../errors.js';

/**
 * A process of its own that calls the API's `profile` again and again, as a user's program
 * would, and reports what the calls left behind: resident memory after each call, and the child
 * processes, threads and active handles after the last. rows/api-memory.ts forks it (with
 * --expose-gc), so that nothing else the bench did sits in its memory or its handles. Import
 * nothing but types from this file: importing it is what starts it.
 */
export interface ApiCallsRequest {
  readonly calls: number;
  /** The options of each call (a progress or native-line callback cannot travel: none is given). */
  readonly options: ProfileRunOptions;
}

/** The process at one moment, after full GCs where --expose-gc allows them. */
export interface ProcessState {
  readonly rssBytes: number;
  /** Threads of the process (Linux only): a worker, or a device's driver threads, is one more each. */
  readonly threads?: number;
  /** process.getActiveResourcesInfo(), sorted. */
  readonly resources: readonly string[];
  /** Child processes as `ps --ppid` lists them ("PID COMMAND"); absent when ps could not be run. */
  readonly children?: readonly string[];
}

export type ApiCallsResponse =
  | {
      readonly type: 'done';
      /** Whether global.gc() was there to call before each reading. */
      readonly gc: boolean;
      /** After importing the API, before the first call. */
      readonly before: ProcessState;
      readonly afterFirst: ProcessState;
      readonly after: ProcessState;
      /** RSS after each call, bytes. */
      readonly rssBytes: readonly number[];
      /** JS heap plus array buffers after each call, bytes: what of the RSS is JavaScript's. */
      readonly liveBytes: readonly number[];
      /** Wall time of each call, ms. */
      readonly callMs: readonly number[];
      /** Lines Dawn printed in the measuring processes, all calls together. */
      readonly nativeLines: number;
    }
  | { readonly type: 'error'; readonly message: string };

/** Lets closed handles finish closing and exited children be reaped, then collects fully. */
async function settle(): Promise<void> {
  await sleep(100);
  globalThis.gc?.();
  globalThis.gc?.();
}

function threads(): number | undefined {
  try {
    const n = Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** This process's children, by `ps --ppid`, without the ps that lists them. */
function children(): string[] | undefined {
  const ps = spawnSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  if (ps.error || ps.status !== 0) {
    // ps exits 1 when it lists nothing; it lists itself, so that means it could not run as asked.
    return undefined;
  }
  return ps.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && Number(line.split(/\s+/)[0]) !== ps.pid);
}

async function state(): Promise<ProcessState> {
  await settle();
  const rssBytes = process.memoryUsage().rss;
  const t = threads();
  const c = children();
  return {
    rssBytes,
    ...(t === undefined ? {} : { threads: t }),
    resources: [...process.getActiveResourcesInfo()].sort(),
    ...(c === undefined ? {} : { children: c }),
  };
}

async function callAll(request: ApiCallsRequest): Promise<ApiCallsResponse> {
  // libuv's thread pool starts on the first file operation: started here, it is no call's thread.
  await stat(process.cwd());
  const before = await state();
  let afterFirst = before;
  const rssBytes: number[] = [];
  const liveBytes: number[] = [];
  const callMs: number[] = [];
  let nativeLines = 0;
  for (let call = 1; call <= request.calls; call++) {
    const started = performance.now();
    await profile({
      ...request.options,
      onNativeLine: () => {
        nativeLines++;
      },
    });
    callMs.push(performance.now() - started);
    if (call === 1) afterFirst = await state();
    else await settle();
    const m = process.memoryUsage();
    rssBytes.push(call === 1 ? afterFirst.rssBytes : m.rss);
    liveBytes.push(m.heapUsed + m.arrayBuffers);
  }
  return {
    type: 'done',
    gc: globalThis.gc !== undefined,
    before,
    afterFirst,
    after: await state(),
    rssBytes,
    liveBytes,
    callMs,
    nativeLines,
  };
}

if (process.send) {
  process.once('message', (request: ApiCallsRequest) => {
    void callAll(request)
      .catch((error: unknown) => ({ type: 'error', message: messageOf(error) }) as const)
      .then((response) => {
        process.send?.(response, undefined, undefined, () => {
          process.disconnect();
          setTimeout(() => process.exit(0), 100).unref();
        });
      });
  });
}
