import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../errors.js';
import { endProgram, STOP_SIGNALS } from './end-program.js';
import { signalMarkerFile } from './trace-events.js';

/** How long a first Ctrl-C waits for the program to say it got the signal itself, ms. */
const OWN_SIGNAL_WAIT_MS = 250;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the whole of `wgprof trace`, from the program's spawn until the
 * trace is written. A terminal signals its whole process group, program and wgprof alike; a
 * signal may also come to wgprof alone. So a first signal while the program runs goes on to it
 * only if it has not said, within OWN_SIGNAL_WAIT_MS, that it got one itself (the preload's
 * marker file): a program never gets a second Ctrl-C that the user did not press. Then SIGTERM
 * and SIGKILL follow while it lives (end-program.ts). A second signal kills the program at once.
 * Once it has gone, wgprof writes what its threads logged: a signal then only warns, and the
 * next one quits without the trace (exit 130).
 */
export class TraceInterrupts {
  private signals = 0;
  private program: { readonly child: ChildProcess; readonly dir: string } | undefined;
  private warned = false;
  private cancel: (() => void) | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.signalled(signal);
  };

  install(): this {
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
    return this;
  }

  /** Stops listening and cancels the timers that would still signal the program. */
  remove(): void {
    for (const s of STOP_SIGNALS) process.off(s, this.onSignal);
    this.cancel?.();
  }

  /** True once a signal came while the program ran. */
  get interrupted(): boolean {
    return this.signals > 0;
  }

  /** The program from its spawn; `dir` is its log folder, where its processes leave their markers. */
  watch(child: ChildProcess, dir: string): void {
    this.program = { child, dir };
  }

  /** The program has exited: signals from now on only warn, then quit. */
  ended(): void {
    this.program = undefined;
  }

  private signalled(signal: NodeJS.Signals): void {
    const program = this.program;
    if (!program) {
      if (!this.warned) {
        this.warned = true;
        process.stderr.write('\nwgprof: writing the trace of what ran (Ctrl-C again to quit without it)\n');
        return;
      }
      process.stderr.write('wgprof: quit at once: the trace was not written\n');
      process.exit(ExitCode.interrupted);
    }
    this.signals++;
    if (this.signals > 1) {
      process.stderr.write('\nwgprof: killing the program (SIGKILL); the trace keeps what it logged\n');
      program.child.kill('SIGKILL');
      return;
    }
    process.stderr.write(
      `\nwgprof: ${signal}: ending the program, then writing its trace (Ctrl-C again to kill it at once)\n`,
    );
    const marker = join(program.dir, signalMarkerFile(program.child.pid ?? -1));
    setTimeout(() => {
      if (this.signals > 1) return;
      this.cancel = endProgram(program.child, existsSync(marker) ? undefined : signal);
    }, OWN_SIGNAL_WAIT_MS).unref();
  }
}
