/**
 * The measuring process's "stop now, keep what you have" flag. Ctrl-C reaches this process
 * directly (a terminal signals the whole foreground process group) and the CLI forwards a stop
 * message for signals only it received; either way the loops check the flag between chunks,
 * end their run early and report what they measured.
 */
let requested = false;

export function requestStop(): void {
  requested = true;
}

export function stopRequested(): boolean {
  return requested;
}
