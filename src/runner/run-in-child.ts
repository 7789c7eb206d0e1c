import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ExitCode, WgprofError } from '../errors.js';
import { Interrupts } from './interrupts.js';
import { isHarmlessNativeLine } from './native-output.js';
import { chooseNodeFlags } from './node-flags.js';
import type { ChildRequest, ChildResponse } from './protocol.js';

/**
 * The measuring process ended without answering: killed (by the user, the OOM killer, a crash in
 * native code) or exited. Named by its signal or exit code, with the last lines it printed that
 * may say why (Dawn's harmless start-up warnings never do, so they are left out).
 */
export class MeasuringProcessDied extends WgprofError {
  constructor(
    readonly signal: NodeJS.Signals | null,
    readonly code: number | null,
    lines: readonly string[],
  ) {
    const last = lines.slice(-3).join(' | ');
    super(
      `the measuring process ${signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'} before answering`}${last ? `: ${last}` : ''}`,
      ExitCode.gpu,
    );
  }
}

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
  /** Shared by the processes of one measurement; absent: this call handles Ctrl-C itself. */
  readonly interrupts?: Interrupts;
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
    // Only the host's flags an op may need to load (node-flags.ts): the host may be the user's own
    // process, started with flags that would break or change a measuring process.
    // An op module in a package without "type" makes Node warn in every thread that imports it;
    // wgprof says it once, as a warning of the result (quality/module-type-warning.ts).
    execArgv: [...chooseNodeFlags().passed, '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON'],
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

  // A measurement of several processes shares one Interrupts; a lone request installs its own.
  const interrupts = options.interrupts ?? new Interrupts().install();
  interrupts.watch(child);
  const removeHandlers = (): void => {
    interrupts.watch(undefined);
    if (!options.interrupts) interrupts.remove();
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
          reject(
            new MeasuringProcessDied(
              signal,
              code,
              nativeMessages.filter((l) => !isHarmlessNativeLine(l)),
            ),
          );
        }
      });
    });
    child.send(request);
  });
}
