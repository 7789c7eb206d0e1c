import type { HandoffMode, StrategyName } from '../config/strategy-names.js';

/** One row of the scenario table: a strategy with its settings (pool size, handoff mode). */
export interface Scenario {
  readonly strategy: StrategyName;
  /** "main", "fresh", "reused/message", "pool/4", "persistent". */
  readonly label: string;
  /** Ops in flight at once: the pool's size, 1 for every other strategy. */
  readonly concurrency: number;
  readonly handoff?: HandoffMode;
}

/** The scenarios a run measures, in the order the rounds visit them. */
export function expandScenarios(
  strategies: readonly StrategyName[],
  handoffs: readonly HandoffMode[],
  poolSizes: readonly number[],
): Scenario[] {
  const out: Scenario[] = [];
  for (const strategy of strategies) {
    if (strategy === 'reused') {
      for (const handoff of handoffs) {
        out.push({
          strategy,
          label: handoffs.length > 1 ? `reused/${handoff}` : 'reused',
          concurrency: 1,
          handoff,
        });
      }
    } else if (strategy === 'pool') {
      for (const size of poolSizes) out.push({ strategy, label: `pool/${size}`, concurrency: size });
    } else {
      out.push({ strategy, label: strategy, concurrency: 1 });
    }
  }
  return out;
}
