import { usageError } from '../errors.js';

/**
 * Where an op runs: on the main thread (the baseline), in a new worker per op, in one reused
 * worker fed op by op, in a pool of workers, or in one worker that runs the whole loop itself.
 */
export const STRATEGY_NAMES = ['main', 'fresh', 'reused', 'pool', 'persistent'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** How the reused worker gets its ops: by postMessage, or through shared memory and Atomics. */
export const HANDOFF_MODES = ['message', 'atomics'] as const;
export type HandoffMode = (typeof HANDOFF_MODES)[number];

function parseList<T extends string>(text: string, valid: readonly T[], what: string, option: string): T[] {
  const names = text === 'all' ? [...valid] : text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(valid as readonly string[]).includes(name)) {
      throw usageError(
        `unknown ${what} '${name}' for ${option}: choose from ${valid.join(', ')} (comma-separated), or all`,
      );
    }
  }
  return [...new Set(names)] as T[];
}

export function parseStrategies(text: string): StrategyName[] {
  return parseList(text, STRATEGY_NAMES, 'strategy', '--strategy');
}

export function parseHandoffs(text: string): HandoffMode[] {
  return parseList(text, HANDOFF_MODES, 'handoff mode', '--handoff');
}

/** `--pool-size 1,2,4`: the sizes the pool sweep measures. */
export function parsePoolSizes(text: string): number[] {
  const sizes = text.split(',').map((s) => s.trim());
  for (const size of sizes) {
    if (!/^\d+$/.test(size) || Number(size) < 1 || Number(size) > 64) {
      throw usageError(
        `--pool-size takes sizes from 1 to 64, comma-separated (such as 1,2,4), not '${text}'`,
      );
    }
  }
  return [...new Set(sizes.map(Number))];
}
