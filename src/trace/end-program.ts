import type { ChildProcess } from 'node:child_process';

/** The signals that stop a traced program: Ctrl-C's, and a polite kill's. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** After the first signal, how long the program has before SIGTERM, and then before SIGKILL, ms. */
export const GRACE_MS = 5000;

/**
 * Ends a traced program that will not end: `first` now (unless it is undefined: the program
 * has it already), SIGTERM GRACE_MS later, SIGKILL GRACE_MS after that, each only while it still
 * runs. The timers do not keep wgprof alive; the returned function cancels the ones not yet fired.
 */
export function endProgram(child: ChildProcess, first: NodeJS.Signals | undefined): () => void {
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const timers: NodeJS.Timeout[] = [];
  const later = (signal: NodeJS.Signals, then?: () => void): void => {
    timers.push(
      setTimeout(() => {
        if (running()) child.kill(signal);
        then?.();
      }, GRACE_MS).unref(),
    );
  };
  if (first !== undefined && running()) child.kill(first);
  later('SIGTERM', () => {
    later('SIGKILL');
  });
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}
