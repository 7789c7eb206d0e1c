import type { ProfileResult, QualityWarning, StrategyResult } from '../results/result-types.js';

/**
 * The checks on how a profile's run went rather than on its numbers: a pool thread that stopped
 * answering (the ops after it ran on a smaller pool), a warm-up the time budget cut short (the
 * ops after it may not be warm).
 */

function stuckThreads(run: StrategyResult, result: ProfileResult): QualityWarning[] {
  const stuck = run.stuckThreads ?? [];
  if (stuck.length === 0) return [];
  const timeout = result.config.opTimeoutMs;
  const named = stuck
    .map((t) => {
      const thread = t.threadId > 0 ? `pool thread ${t.threadId}` : 'a pool thread';
      return `${thread} (${t.index === undefined ? 'during the warm-up' : `op ${t.index}`})`;
    })
    .join(', ');
  const left = run.concurrency - stuck.length;
  const after =
    left > 0 && !run.deviceLost
      ? `the ops after that ran on ${left} of ${run.concurrency} threads`
      : 'with no thread left, the scenario ended there';
  return [
    {
      code: 'stuck-thread',
      scenario: run.label,
      message:
        `${run.label}: ${named} did not answer an op within --op-timeout (${timeout} ms) nor in the grace after it, ` +
        `and ${stuck.length === 1 ? 'was' : 'were'} sent no more ops; ${after}.`,
      advice:
        'Its op is likely stuck in a GPU call (a kernel or a driver that never returns): the figures after it are of a smaller pool. ' +
        'If the op is only slow, raise --op-timeout above its time.',
    },
  ];
}

function warmupCutShort(run: StrategyResult, result: ProfileResult): QualityWarning[] {
  const cut = (run.replicates ?? []).filter((r) => r.warmupOps !== undefined);
  if (cut.length === 0) return [];
  const ops = cut.map((r) => r.warmupOps ?? 0);
  const range =
    Math.min(...ops) === Math.max(...ops) ? `${ops[0] ?? 0}` : `${Math.min(...ops)} to ${Math.max(...ops)}`;
  // A fresh worker per op warms up with two ops at most: each op is cold by nature.
  const wanted = run.strategy === 'fresh' ? Math.min(2, result.config.warmup) : result.config.warmup;
  return [
    {
      code: 'warmup-cut-short',
      scenario: run.label,
      message:
        `${run.label}: the --time-budget of ${(result.config.timeBudgetMs / 1000).toFixed(0)} s ran out during the warm-up ` +
        `in ${cut.length} of its ${run.replicates?.length ?? cut.length} measuring processes: ${range} of the ${wanted} warm-up ops ran, ` +
        'and the ops measured after it may not be warm.',
      advice: 'Lower --warmup, or raise --time-budget so that the warm-up and the measurement both fit.',
    },
  ];
}

export function runWarnings(result: ProfileResult): QualityWarning[] {
  return result.runs.flatMap((run) => [...stuckThreads(run, result), ...warmupCutShort(run, result)]);
}
