import type { ChildProcess } from 'node:child_process';
import { ExitCode } from '../errors.js';

/**
 * Ctrl-C and SIGTERM for a whole measurement, which may be several measuring processes in turn
 * (a profile's replicates): the first asks the process now measuring to stop and report what it
 * has, and no further process starts; the second ends it at once. Ctrl-C in a terminal reaches
 * the child too; the message covers a signal sent to this process alone.
 */
export class Interrupts {
  private signals = 0;
  private child: ChildProcess | undefined;
  private readonly onSignal = (): void => {
    this.signals++;
    if (this.signals === 1) {
      process.stderr.write(
        '\nwgprof: stopping: writing what was measured so far (press Ctrl-C again to quit at once)\n',
      );
      if (this.child?.connected) this.child.send({ type: 'stop' });
    } else {
      this.child?.kill('SIGKILL');
      process.stderr.write('wgprof: quit at once: nothing of this run was saved or printed\n');
      process.exit(ExitCode.interrupted);
    }
  };

  /** Starts listening; call remove() when the measurement is over. */
  install(): this {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    return this;
  }

  remove(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  /** A stop asked for in code (the API's AbortSignal): as a first Ctrl-C, without its message. */
  stop(): void {
    if (this.signals > 0) return;
    this.signals = 1;
    if (this.child?.connected) this.child.send({ type: 'stop' });
  }

  /** True once a stop was asked for: start nothing new. */
  stopped(): boolean {
    return this.signals > 0;
  }

  /** The measuring process a stop goes to now (undefined between processes). */
  watch(child: ChildProcess | undefined): void {
    this.child = child;
    if (child && this.stopped() && child.connected) child.send({ type: 'stop' });
  }
}
