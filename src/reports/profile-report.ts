import { FAILING_STREAK } from '../measurement/rounds.js';
import { ratesSection } from './rates-table.js';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { activitySection } from './activity-table.js';
import { ownContradiction } from '../results/verdict-trust.js';
import { coldWarmTable } from './cold-warm.js';
import { guidanceRows, guidanceTable } from './guidance.js';
import { phaseTable, runHeader, runLine } from './phase-table.js';
import { poolSweepRows, poolSweepTable } from './pool-sweep.js';
import { qualitySection } from './quality-section.js';
import { hasReplicates, replicatesTable } from './replicates-table.js';
import { scenarioTable } from './scenario-table.js';
import { timingLine } from './timing-line.js';

/** "stopped by: every median within 2% (3 rounds, 12.1 s)". */
export function stopLine(result: ProfileResult): string {
  const { rounds, config } = result;
  const why =
    rounds.stoppedBy === 'ops'
      ? `the fixed --ops ${config.ops ?? ''}`
      : rounds.stoppedBy === 'noise'
        ? `every median known to ${(config.maxNoise * 100).toFixed(1)}% (95% CI half-width)`
        : rounds.stoppedBy === 'settled'
          ? "every verdict settled (each scenario's vs main CI within one verdict's range)"
          : rounds.stoppedBy === 'futile'
            ? "verdicts that could not settle in the rounds left (their replicates' spread needs more than the --time-budget allows), the others settled"
            : rounds.stoppedBy === 'rounds'
              ? 'the most rounds the schedule adds, with verdicts still unsettled'
              : rounds.stoppedBy === 'time-budget'
                ? `the --time-budget of ${(config.timeBudgetMs / 1000).toFixed(0)} s, before every median was known to ${(config.maxNoise * 100).toFixed(1)}%`
                : rounds.stoppedBy === 'interrupted'
                  ? 'an interrupt (Ctrl-C or SIGTERM): these are the ops measured before it'
                  : rounds.stoppedBy === 'process-died'
                    ? 'a measuring process that died: these are the ops measured before it'
                    : rounds.stoppedBy === 'failing'
                      ? `ops that kept failing (the last ${FAILING_STREAK} of every scenario failed: more time would not change it)`
                      : lostDevice(result);
  if (result.isolation) {
    const { replicates, processes } = result.isolation;
    return (
      `${replicates} replicate${replicates === 1 ? '' : 's'}: each scenario measured alone, in a process and device of its own per replicate ` +
      `(${processes} processes, one at a time, in ${(rounds.elapsedMs / 1000).toFixed(1)} s); stopped by ${why}; ${warmupWords(result)}`
    );
  }
  return `${rounds.count} interleaved round${rounds.count === 1 ? '' : 's'} of ${config.chunk} ops per scenario in ${(rounds.elapsedMs / 1000).toFixed(1)} s; stopped by ${why}; warm-up ${config.warmup} ops each`;
}

/** What ended a run on a lost device: one lost, or one that stopped answering (a hung op). */
function lostDevice(result: ProfileResult): string {
  const run = result.runs.find((r) => r.deviceLost);
  if (!run) return 'a lost device';
  return run.deviceLost?.startsWith('stuck: ')
    ? `a GPU that stopped answering (${run.label})`
    : `a lost device (${run.label})`;
}

/** "warm-up 20 ops and at least 250 ms per process", and how far it got where the time budget cut it short. */
function warmupWords(result: ProfileResult): string {
  const { warmup, warmupMinMs = 0 } = result.config;
  const floor = warmup > 0 && warmupMinMs > 0 ? ` and at least ${warmupMinMs} ms` : '';
  const cut = result.runs.flatMap((r) => (r.replicates ?? []).flatMap((p) => p.warmupOps ?? []));
  if (cut.length === 0) return `warm-up ${warmup} ops${floor} per process`;
  const [low, high] = [Math.min(...cut), Math.max(...cut)];
  return (
    `warm-up ${warmup} ops${floor} per process, cut short by the --time-budget in ${cut.length} of them ` +
    `(${low === high ? low : `${low} to ${high}`} ops ran there)`
  );
}

/**
 * The terminal report, in a fixed order: what it ran on, the scenario table, each scenario's
 * phases, cold against warm, the pool sweep, the clock's floor and the warnings, then the
 * guidance (the verdict) last.
 */
export function renderProfile(result: ProfileResult): string {
  const failed = result.runs.filter((r) => r.timing && !r.timing.timestamps.trusted);
  const outlasts = failed.length > 0 && failed.every(ownContradiction);
  const timing = timingLine(result.runs, result.device.timestamps, result.config.op !== undefined, outlasts);
  const parts = [
    runHeader(result).join('\n'),
    stopLine(result),
    ...(timing ? [timing] : []),
    `Scenarios (medians per op):\n\n${scenarioTable(result)}`,
  ];
  for (const run of result.runs) {
    parts.push(`${runLine(run)}\n\n${phaseTable(run)}`);
    if (run.deviceLost)
      parts.push(`${describeLoss(run.label, run.deviceLost)}; the records before it are kept`);
    else if (timedOutLine(run)) parts.push(timedOutLine(run) ?? '');
  }
  parts.push(...ratesSection(result));
  parts.push(...activitySection(result));
  if (hasReplicates(result))
    parts.push(
      `Replicates (medians of the total per op, in the order they ran):\n\n${replicatesTable(result)}`,
    );
  if (result.runs.some((r) => r.strategy !== 'main'))
    parts.push(`Cold and warm:\n\n${coldWarmTable(result)}`);
  const sweep = poolSweepRows(result);
  if (sweep.length > 0) parts.push(`Pool sweep:\n\n${poolSweepTable(sweep)}`);
  parts.push(...qualitySection(result));
  const guidance = guidanceRows(result);
  if (guidance.length > 0) parts.push(`Guidance (from this run's numbers):\n\n${guidanceTable(guidance)}`);
  if (result.device.noRealGpuWork)
    parts.push('NOTE: the null backend ran no GPU work: these figures measure plumbing only.');
  return `${parts.join('\n\n')}\n`;
}

/**
 * Ops that timed out while the scenario went on (slower than --op-timeout, or a worker replaced):
 * how many, and what the first one says, which tells which of the two it was.
 */
export function timedOutLine(run: StrategyResult): string | undefined {
  const timeouts = run.records.failures.filter((f) => f.status === 'timeout');
  const [first] = timeouts;
  if (!first) return undefined;
  const n = timeouts.length;
  return `${run.label}: ${n} op${n === 1 ? '' : 's'} timed out, left out of the figures (the first: ${first.message})`;
}

/** A device that stopped mid-run, in words: lost (the GPU went away), or stuck in a kernel. */
export function describeLoss(label: string, deviceLost: string): string {
  const stuck = /^stuck: (.*)$/s.exec(deviceLost);
  return stuck
    ? `the GPU stopped answering during ${label}: ${stuck[1] ?? ''}`
    : `the GPU device was lost during ${label} (${deviceLost})`;
}
