import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ExitCode, gpuError, WgprofError } from '../errors.js';
import { isHarmlessNativeLine } from './native-output.js';
import type { ChildRequest, ChildResponse } from './protocol.js';

const CHILD_ENTRY = fileURLToPath(new URL('./child-entry.js', import.meta.url));

export interface ChildOutcome {
  readonly response: Exclude<ChildResponse, { type: 'progress' | 'error' }>;
  /** Every line Dawn printed natively, harmless ones included, in order. */
  readonly nativeMessages: string[];
}

export interface ChildOptions {
  readonly onProgress?: (message: Extract<ChildResponse, { type: 'progress' }>) => void;
  /** Where native lines that may matter go (default: stderr, prefixed). */
  readonly onNativeLine?: (line: string) => void;
  readonly verbose?: boolean;
}

/**
 * Runs one request in a fresh measuring process. Dawn's native output never reaches our stdout:
 * the harmless lines are dropped (and kept in the result), anything else goes to stderr marked
 * as Dawn's. Returns the child's one answer, or throws its error as a WgprofError.
 */
export function runInChild(
  request: Exclude<ChildRequest, { type: 'stop' }>,
  options: ChildOptions = {},
): Promise<ChildOutcome> {
  const child = fork(CHILD_ENTRY, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
    // The user's environment, unchanged (fork's default), so that the op runs with the allocator
    // and driver settings the user's own program would have: capping glibc's malloc arenas, as
    // wgprof once did, made every GPU op on lavapipe about 45% slower.
  });
  const nativeMessages: string[] = [];
  const forward = options.onNativeLine ?? ((line: string) => process.stderr.write(`wgprof: dawn: ${line}\n`));
  // Set once the child's answer is in: what it prints natively after that is the teardown of its
  // process (a worker abandoned in a stuck GPU call can make Node print a fatal-error dump as the
  // process exits), which changes nothing of the run: kept in the result, not shown.
  let answered = false;
  const collect = (line: string): void => {
    if (line.trim() === '') return;
    nativeMessages.push(line);
    if (options.verbose || (!answered && !isHarmlessNativeLine(line))) forward(line);
  };
  const lineReaders = [child.stdout, child.stderr].map(
    (stream) =>
      new Promise<void>((done) => {
        if (stream) createInterface({ input: stream }).on('line', collect).on('close', done);
        else done();
      }),
  );

  // The first Ctrl-C (or SIGTERM) asks the measuring process to stop and report what it has; the
  // second ends it at once. Ctrl-C in a terminal reaches the child too; the message covers a
  // signal sent to this process alone.
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals === 1) {
      process.stderr.write(
        '\nwgprof: stopping: writing what was measured so far (press Ctrl-C again to quit at once)\n',
      );
      if (child.connected) child.send({ type: 'stop' });
    } else {
      child.kill('SIGKILL');
      process.stderr.write('wgprof: quit at once: nothing of this run was saved or printed\n');
      process.exit(ExitCode.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const removeHandlers = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  return new Promise((resolve, reject) => {
    let answer: Exclude<ChildResponse, { type: 'progress' }> | undefined;
    child.on('message', (message: ChildResponse) => {
      if (message.type === 'progress') options.onProgress?.(message);
      else {
        answer = message;
        answered = true;
      }
    });
    child.on('error', (error) =>
      reject(new WgprofError(`cannot start the measuring process: ${error.message}`, ExitCode.internal)),
    );
    child.on('exit', (code, signal) => {
      removeHandlers();
      void Promise.all(lineReaders).then(() => {
        if (answer?.type === 'error') {
          const error = new WgprofError(answer.message, answer.exitCode);
          if (answer.stack && options.verbose) error.stack = answer.stack;
          reject(error);
        } else if (answer) {
          resolve({ response: answer, nativeMessages });
        } else {
          const last = nativeMessages.slice(-3).join(' | ');
          reject(
            gpuError(
              `the measuring process died (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`,
            ),
          );
        }
      });
    });
    child.send(request);
  });
}
