import { usageError } from '../errors.js';

/**
 * Where an op runs: on the main thread, or in a worker thread started and fed in one of four
 * ways. Only `main` exists so far; the worker strategies land with their own files beside it.
 */
export const STRATEGY_NAMES = ['main'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export function parseStrategies(text: string): StrategyName[] {
  const names = text === 'all' ? [...STRATEGY_NAMES] : text.split(',').map((s) => s.trim());
  const valid: readonly string[] = STRATEGY_NAMES;
  for (const name of names) {
    if (!valid.includes(name)) {
      throw usageError(
        `unknown strategy '${name}': choose from ${STRATEGY_NAMES.join(', ')} (comma-separated), or all`,
      );
    }
  }
  return [...new Set(names)] as StrategyName[];
}
