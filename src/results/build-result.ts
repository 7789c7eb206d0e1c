import type { ProfileConfig } from '../config/profile-config.js';
import type { DeviceInfo } from '../device/device-info.js';
import { OP_STATUS, type RecordStore } from '../measurement/record-store.js';
import { summarizeStore } from '../measurement/run-summary.js';
import type { StrategyRun } from '../strategies/strategy-run.js';
import type { Environment } from './environment.js';
import { RESULT_SCHEMA, RESULT_VERSION, type ProfileResult, type StoredRecords, type StrategyResult } from './result-types.js';

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function storeRecords(store: RecordStore): StoredRecords {
  const phases: StoredRecords['phases'] = {};
  for (const phase of store.phases) phases[phase] = Array.from(store.column(phase), orNull);
  const failures: StoredRecords['failures'] = [];
  for (const [index, message] of store.errors) {
    const status = store.status(index);
    if (status !== 'ok') failures.push({ index, status, message });
  }
  return {
    originNs: store.origin.toString(),
    startNs: Array.from(store.startsNs),
    totalNs: Array.from(store.totalsNs, orNull),
    phases,
    failures,
  };
}

export function strategyResult(run: StrategyRun): StrategyResult {
  const counts = [0, 0, 0];
  for (const code of run.store.statusCodes) counts[code] = (counts[code] ?? 0) + 1;
  const opsOk = counts[OP_STATUS.indexOf('ok')] ?? 0;
  return {
    strategy: run.strategy,
    opsOk,
    opsFailed: counts[OP_STATUS.indexOf('failed')] ?? 0,
    opsTimedOut: counts[OP_STATUS.indexOf('timeout')] ?? 0,
    wallNs: run.wallNs,
    opsPerSecond: run.wallNs > 0 ? opsOk / (run.wallNs / 1e9) : 0,
    cpuPerOpNs: opsOk > 0 ? run.processCpuNs / opsOk : 0,
    ...(run.deviceLost ? { deviceLost: run.deviceLost } : {}),
    summary: summarizeStore(run.store),
    records: storeRecords(run.store),
  };
}

export interface ResultInputs {
  readonly command: readonly string[];
  readonly environment: Environment;
  readonly device: DeviceInfo;
  readonly config: ProfileConfig;
  readonly runs: readonly StrategyRun[];
  readonly nativeMessages?: readonly string[];
  readonly createdAt?: Date;
}

export function buildProfileResult(inputs: ResultInputs): ProfileResult {
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    kind: 'profile',
    createdAt: (inputs.createdAt ?? new Date()).toISOString(),
    command: inputs.command,
    environment: inputs.environment,
    device: inputs.device,
    config: inputs.config,
    runs: inputs.runs.map(strategyResult),
    nativeMessages: inputs.nativeMessages ?? [],
  };
}
