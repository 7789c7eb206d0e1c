import type { Verdict } from '../compare/compare-results.js';
import { scenarioLabel } from '../reports/scenario-label.js';
import type { ProfileResult } from '../results/result-types.js';
import { groupIdentity, type GroupIdentity } from './group-key.js';
import type {
  History,
  HistoryGroup,
  HistoryPoint,
  HistoryRun,
  ScenarioSeries,
  SkippedFile,
} from './history-types.js';
import type { LoadedProfile } from './load-profiles.js';
import { neighbourSteps, type StepOf } from './neighbour-steps.js';

/** Older first; runs written at the same instant by their path, so the order never depends on the disk's. */
export function byTime(a: LoadedProfile, b: LoadedProfile): number {
  const ta = Date.parse(a.result.createdAt);
  const tb = Date.parse(b.result.createdAt);
  if (ta !== tb) return (Number.isNaN(ta) ? Infinity : ta) - (Number.isNaN(tb) ? Infinity : tb);
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

const noCounts = (): Record<Verdict, number> => ({
  regression: 0,
  improvement: 0,
  ambiguous: 0,
  unchanged: 0,
});

/**
 * One scenario's series over a group's runs (in order): a point per run that measured its total,
 * each after the first with the step from the previous point.
 */
export function scenarioSeries(
  results: readonly ProfileResult[],
  label: string,
  stepOf: StepOf,
): ScenarioSeries {
  const points: HistoryPoint[] = [];
  const counts = noCounts();
  let previous: number | undefined;
  let shown = label;
  results.forEach((result, index) => {
    const run = result.runs.find((r) => r.label === label);
    const total = run?.summary.total;
    if (!run || !total) return;
    shown = scenarioLabel(run);
    const step = previous === undefined ? undefined : stepOf(previous, index, label);
    if (step && 'verdict' in step) counts[step.verdict]++;
    points.push({
      run: index + 1,
      n: total.n,
      medianNs: total.median,
      lowNs: total.medianCi.low,
      highNs: total.medianCi.high,
      ...(step ? { step } : {}),
    });
    previous = index;
  });
  return { scenario: shown, points, counts };
}

/** The group of `members` (one identity, in time order). */
function groupOf(
  identity: GroupIdentity,
  members: readonly LoadedProfile[],
  threshold: number,
): HistoryGroup {
  const results = members.map((m) => m.result);
  const runs: HistoryRun[] = members.map((m, i) => ({
    run: i + 1,
    path: m.path,
    createdAt: m.result.createdAt,
    ...(m.result.provenance ? { provenance: m.result.provenance } : {}),
  }));
  // Scenarios in the order they first appear, as the runs' own tables list them.
  const labels = [...new Set(results.flatMap((r) => r.runs.map((run) => run.label)))];
  const stepOf = neighbourSteps(results, threshold);
  return {
    id: identity.key.replaceAll('\u0000', ' | '),
    op: identity.op,
    config: identity.config,
    device: identity.device,
    host: identity.host,
    runs,
    scenarios: labels.map((label) => scenarioSeries(results, label, stepOf)),
  };
}

/**
 * Profile results as a history: grouped by op, figure-changing settings and device (see
 * group-key.ts), each group in time order, and per scenario its medians with the verdict of
 * each step between neighbours. Groups are ordered by op, then by their first run.
 *
 * @param threshold the smallest change that counts, a fraction (compare's --threshold).
 */
export function buildHistory(
  profiles: readonly LoadedProfile[],
  skipped: readonly SkippedFile[],
  threshold: number,
): History {
  const members = new Map<string, { identity: GroupIdentity; members: LoadedProfile[] }>();
  for (const profile of [...profiles].sort(byTime)) {
    const identity = groupIdentity(profile.result);
    const group = members.get(identity.key) ?? { identity, members: [] };
    group.members.push(profile);
    members.set(identity.key, group);
  }
  const groups = [...members.values()]
    .sort((a, b) => (a.identity.op < b.identity.op ? -1 : a.identity.op > b.identity.op ? 1 : 0))
    .map((g) => groupOf(g.identity, g.members, threshold));
  return { threshold, results: profiles.length, groups, skipped };
}
