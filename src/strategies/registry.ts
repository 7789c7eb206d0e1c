import { FreshWorkerStrategy } from './fresh-worker.js';
import { MainThreadStrategy } from './main-thread.js';
import { PersistentWorkerStrategy } from './persistent-worker.js';
import { ReusedWorkerStrategy } from './reused-worker.js';
import type { Scenario } from './scenario.js';
import type { Strategy, StrategyContext } from './strategy.js';
import type { StrategyName } from '../config/strategy-names.js';
import { WorkerPoolStrategy } from './worker-pool.js';

type Factory = new (scenario: Scenario, context: StrategyContext) => Strategy;

/** One file per strategy, one line each here. */
const FACTORIES: Readonly<Record<StrategyName, Factory>> = {
  main: MainThreadStrategy,
  fresh: FreshWorkerStrategy,
  reused: ReusedWorkerStrategy,
  pool: WorkerPoolStrategy,
  persistent: PersistentWorkerStrategy,
};

export function createStrategy(scenario: Scenario, context: StrategyContext): Strategy {
  return new FACTORIES[scenario.strategy](scenario, context);
}
