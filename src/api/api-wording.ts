import { ExitCode, WgprofError } from '../errors.js';

/**
 * The config checks are the CLI's (one resolver for both), so their messages name flags:
 * "unknown strategy 'mian' for --strategy". Called through the API, the same message names the
 * option as the API takes it ("... for strategy"). Only flags that are options of the call are
 * renamed; anything else in the message (a file name, a value) is left as it is.
 */
export function inApiWords(
  message: string,
  options: ReadonlySet<string>,
  renamed: Readonly<Record<string, string>> = {},
): string {
  return message.replace(/(^|[\s('"`])--([a-z][a-z0-9-]*)/g, (whole, before: string, flag: string) => {
    const camel = flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const name = renamed[camel] ?? camel;
    return options.has(name) ? `${before}${name}` : whole;
  });
}

/** A usage error of a config check, reworded for the API; any other error unchanged. */
export function apiError(
  error: unknown,
  options: ReadonlySet<string>,
  renamed?: Readonly<Record<string, string>>,
): unknown {
  if (!(error instanceof WgprofError) || error.exitCode !== ExitCode.usage) return error;
  const reworded = new WgprofError(inApiWords(error.message, options, renamed), error.exitCode);
  if (error.stack) reworded.stack = error.stack.replace(error.message, reworded.message);
  return reworded;
}
