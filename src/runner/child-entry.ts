/**
 * The measuring process. wgprof's CLI forks it with an IPC channel, sends one request, and reads
 * one result back; this process never writes to stdout itself, so anything that appears there is
 * Dawn's and the parent can keep it out of the user's output. This file only wires messages:
 * runner/measure.ts does the measuring.
 */
import { isMainThread } from 'node:worker_threads';
import { runDoctor } from '../device/doctor.js';
import { ExitCode, messageOf, WgprofError } from '../errors.js';
import { failOpsInFlight } from '../measurement/op-watchdog.js';
import { requestStop } from '../measurement/stop-request.js';
import { measure, measureReplicate } from './measure.js';
import { measurePeakHere } from './peak-process.js';
import type { ChildRequest, ChildResponse, Progress } from './protocol.js';
import { sendToParent } from './send-to-parent.js';

/** Set once the one answer is sent: the disconnect that follows is this process's own. */
let answered = false;

function send(message: ChildResponse): Promise<void> {
  return sendToParent(message);
}

async function handle(request: Exclude<ChildRequest, { type: 'stop' }>): Promise<void> {
  try {
    const onProgress = (progress: Progress): void => void send({ type: 'progress', ...progress });
    if (request.type === 'doctor') await send({ type: 'doctor-result', report: await runDoctor() });
    else if (request.type === 'peak')
      await send({ type: 'peak-result', result: await measurePeakHere(request, onProgress) });
    else if (request.type === 'replicate')
      await send({ type: 'replicate-result', replicate: await measureReplicate(request, onProgress) });
    else {
      const result = await measure(request, onProgress);
      await send({ type: 'result', result });
    }
  } catch (error) {
    const exitCode = error instanceof WgprofError ? error.exitCode : ExitCode.internal;
    await send({
      type: 'error',
      message: messageOf(error),
      exitCode,
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  }
  answered = true;
  process.disconnect();
  // A worker abandoned after a timeout may still hold the event loop (or be stuck in a GPU call):
  // the answer is delivered, so end here rather than wait for it.
  setTimeout(() => process.exit(0), 100).unref();
}

if (!process.send || !isMainThread) {
  process.stderr.write(
    'wgprof: this file is the measuring process that `wgprof` starts; run `wgprof --help`\n',
  );
  process.exitCode = ExitCode.usage;
} else {
  // A stop can come as a signal (Ctrl-C signals the whole process group) or as a message from
  // the CLI (a signal only it received); the first message is the request.
  process.on('SIGINT', requestStop);
  process.on('SIGTERM', requestStop);
  // An exception thrown from an op's own callback on this thread fails that op (a failed record,
  // as in a worker, where it ends the worker); anywhere else it is wgprof's fault, and fatal.
  process.on('uncaughtException', (error) => {
    if (failOpsInFlight(error)) return;
    void send({
      type: 'error',
      message: `internal error in the measuring process: ${messageOf(error)}`,
      exitCode: ExitCode.internal,
      ...(error.stack ? { stack: error.stack } : {}),
    }).finally(() => process.exit(ExitCode.internal));
  });
  // The CLI went away (killed, or its terminal closed): nobody is left to read the result, and a
  // measuring process must never outlive the command that started it.
  process.on('disconnect', () => {
    if (!answered) process.exit(ExitCode.interrupted);
  });
  let started = false;
  process.on('message', (message: ChildRequest) => {
    if (message.type === 'stop') requestStop();
    else if (!started) {
      started = true;
      void handle(message);
    }
  });
}
