import { isMainThread } from 'node:worker_threads';
import type { ProfileConfig } from '../config/profile-config.js';
import { runDoctor } from '../device/doctor.js';
import { openDevice } from '../device/open-device.js';
import { ExitCode, messageOf, WgprofError } from '../errors.js';
import { buildProfileResult } from '../results/build-result.js';
import { collectEnvironment } from '../results/environment.js';
import { runMainThread } from '../strategies/main-thread.js';
import type { StrategyRun } from '../strategies/strategy-run.js';
import type { RequestMessage, ResponseMessage } from './protocol.js';

/**
 * The measuring process. wgprof's CLI forks it with an IPC channel, sends one request, and reads
 * one result back; this process never writes to stdout itself, so anything that appears there is
 * Dawn's and the parent can keep it out of the user's output.
 */
function send(message: ResponseMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => {
      resolve();
    });
  });
}

async function profile(config: ProfileConfig, command: readonly string[]): Promise<void> {
  const origin = process.hrtime.bigint();
  const environment = collectEnvironment();
  const ctx = await openDevice({
    backend: config.backend,
    quantizeTimestamps: config.quantizeTimestamps,
    ...(config.adapter ? { adapter: config.adapter } : {}),
  });
  const runs: StrategyRun[] = [];
  try {
    for (const strategy of config.strategies) {
      let last = 0;
      const progress = (done: number): void => {
        // A message per op would load the IPC channel; a few per second are plenty for a bar.
        const now = Date.now();
        if (done === config.ops || now - last > 200) {
          last = now;
          void send({ type: 'progress', strategy, done, total: config.ops });
        }
      };
      runs.push(await runMainThread(ctx, config, origin, progress));
      if (ctx.lost) break;
    }
  } finally {
    ctx.close();
  }
  await send({
    type: 'profile-result',
    result: buildProfileResult({ command, environment, device: ctx.info, config, runs }),
  });
}

async function handle(request: RequestMessage): Promise<void> {
  try {
    if (request.type === 'profile') await profile(request.config, request.command);
    else await send({ type: 'doctor-result', report: await runDoctor() });
  } catch (error) {
    const exitCode = error instanceof WgprofError ? error.exitCode : ExitCode.internal;
    await send({
      type: 'error',
      message: messageOf(error),
      exitCode,
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  }
  process.disconnect();
}

if (!process.send || !isMainThread) {
  process.stderr.write(
    'wgprof: this file is the measuring process that `wgprof` starts; run `wgprof --help`\n',
  );
  process.exitCode = ExitCode.usage;
} else {
  process.once('message', (request: RequestMessage) => void handle(request));
}
