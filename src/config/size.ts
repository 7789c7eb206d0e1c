import { usageError } from '../errors.js';

const SUFFIX: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Parses an element count such as `1000`, `64K` or `1M` (binary multiples: 1M = 1,048,576).
 * Throws a usage error naming the option for anything else.
 */
export function parseSize(text: string, option = '--size'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)\s*$/i.exec(text);
  const multiplier = SUFFIX[(match?.[2] ?? '').toLowerCase()];
  if (!match || multiplier === undefined) {
    throw usageError(`${option} must be a count such as 1000, 64K or 1M, not '${text}'`);
  }
  const value = Number(match[1]) * multiplier;
  if (value > Number.MAX_SAFE_INTEGER) throw tooLarge(option, text.trim(), Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(value) || value < 1) {
    throw usageError(`${option} must be a whole number of at least 1, not '${text}'`);
  }
  return value;
}

/** A count past what the option takes; past 2^53 - 1 it would not even be counted exactly. */
function tooLarge(option: string, text: string, maximum: number): Error {
  const why =
    maximum === Number.MAX_SAFE_INTEGER
      ? ' (2^53 - 1, the largest whole number JavaScript counts exactly)'
      : '';
  return usageError(`${option} ${text} is too large: it must be at most ${maximum}${why}`);
}

/** Parses a non-negative integer option such as --ops or --warmup. */
export function parseCount(
  text: string,
  option: string,
  minimum = 0,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^\s*\d+\s*$/.test(text)) throw usageError(`${option} must be a whole number, not '${text}'`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value > maximum) throw tooLarge(option, text.trim(), maximum);
  if (value < minimum) throw usageError(`${option} must be at least ${minimum}, not '${text.trim()}'`);
  return value;
}

/**
 * The longest delay Node's timers keep (2^31 - 1 ms, 24.8 days): a longer one fires after 1 ms.
 * Durations are refused past it, and any delay wgprof derives from them is capped to it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay for setTimeout, Atomics.wait and the like, capped so that it never overflows. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** 1048576 -> "1M", 65536 -> "64K", 1000 -> "1000". */
export function formatSize(count: number): string {
  if (count >= 1024 ** 2 && count % 1024 ** 2 === 0) return `${count / 1024 ** 2}M`;
  if (count >= 1024 && count % 1024 === 0) return `${count / 1024}K`;
  return String(count);
}

const DURATION_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Parses a duration such as `500ms`, `30s` or `2m` (a bare number is seconds) into milliseconds. */
export function parseDuration(text: string, option: string, zeroAllowed = false): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  const value = match ? Number(match[1]) * (DURATION_UNIT[match[2] ?? 's'] ?? 1000) : NaN;
  if (!(value > 0 || (zeroAllowed && value === 0)))
    throw usageError(
      `${option} must be a duration such as 500ms, 30s or 2m${zeroAllowed ? ' (or 0)' : ''}, not '${text}'`,
    );
  if (value > MAX_TIMER_MS)
    throw usageError(
      `${option} must be at most ${MAX_TIMER_MS} ms (24.8 days, the longest delay Node's timers keep), not '${text.trim()}'`,
    );
  return value;
}

/** Parses `2%` or `0.02` into a fraction in (0, 1]. */
export function parsePercent(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!(value > 0 && value <= 1))
    throw usageError(`${option} must be a share such as 2% or 0.02, not '${text}'`);
  return value;
}
