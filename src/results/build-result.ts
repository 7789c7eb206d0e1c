import type { ProfileConfig } from '../config/profile-config.js';
import type { DeviceInfo } from '../device/device-info.js';
import { type RecordStore } from '../measurement/record-store.js';
import type { RoundsOutcome } from '../measurement/rounds.js';
import { steadyValues, summarizeStore } from '../measurement/run-summary.js';
import { speedupVersusMain } from '../measurement/versus-main.js';
import type { Strategy } from '../strategies/strategy.js';
import type { Environment } from './environment.js';
import {
  envelope,
  type ProfileResult,
  type StoredRecords,
  type StrategyResult,
} from './result-types.js';

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function storeRecords(store: RecordStore): StoredRecords {
  const phases: StoredRecords['phases'] = {};
  for (const phase of store.phases) phases[phase] = Array.from(store.column(phase), orNull);
  const failures: StoredRecords['failures'] = [];
  for (const [index, message] of store.errors) {
    const status = store.status(index);
    if (status !== 'ok') failures.push({ index, status, message });
  }
  const cold: number[] = [];
  store.coldFlags.forEach((c, i) => {
    if (c === 1) cold.push(i);
  });
  return {
    originNs: store.origin.toString(),
    startNs: Array.from(store.startsNs),
    totalNs: Array.from(store.totalsNs, orNull),
    threadIds: Array.from(store.threadIds),
    innerStartNs: Array.from(store.innerStartsNs, orNull),
    phases,
    cold,
    failures,
  };
}

/** Counts of the steady-state ops by how they ended. */
function statusCounts(store: RecordStore): [ok: number, failed: number, timeout: number] {
  const counts: [number, number, number] = [0, 0, 0];
  const allCold = store.everyOpCold;
  store.statusCodes.forEach((code, i) => {
    if (allCold || store.coldFlags[i] === 0) counts[code as 0 | 1 | 2]++;
  });
  return counts;
}

export function strategyResult(strategy: Strategy, main?: Strategy): StrategyResult {
  const { store, meter, scenario } = strategy;
  const [opsOk, opsFailed, opsTimedOut] = statusCounts(store);
  const vsMain = main ? speedupVersusMain(steadyValues(main.store.totalsNs, main.store), steadyValues(store.totalsNs, store), scenario.concurrency) : undefined;
  return {
    strategy: scenario.strategy,
    label: scenario.label,
    concurrency: scenario.concurrency,
    ...(scenario.handoff ? { handoff: scenario.handoff } : {}),
    opsOk,
    opsFailed,
    opsTimedOut,
    wallNs: meter.wallNs,
    opsPerSecond: meter.wallNs > 0 ? opsOk / (meter.wallNs / 1e9) : 0,
    cpuPerOpNs: opsOk > 0 ? meter.processCpuNs / opsOk : 0,
    ...(strategy.threadCpuNs === undefined ? {} : { threadCpuNs: strategy.threadCpuNs }),
    everyOpCold: store.everyOpCold,
    ...(vsMain ? { vsMain } : {}),
    ...(strategy.lost ? { deviceLost: strategy.lost } : {}),
    summary: summarizeStore(store, 'steady'),
    coldSummary: summarizeStore(store, 'cold'),
    records: storeRecords(store),
  };
}

export interface ResultInputs {
  readonly command: readonly string[];
  readonly environment: Environment;
  readonly device: DeviceInfo;
  readonly config: ProfileConfig;
  readonly strategies: readonly Strategy[];
  readonly rounds: RoundsOutcome;
}

export function buildProfileResult(inputs: ResultInputs): ProfileResult {
  return {
    ...envelope('profile', inputs),
    rounds: { count: inputs.rounds.rounds, stoppedBy: inputs.rounds.stoppedBy, elapsedMs: inputs.rounds.elapsedMs },
    runs: inputs.strategies.map((s) => strategyResult(s, inputs.strategies.find((m) => m.scenario.strategy === 'main'))),
  };
}
