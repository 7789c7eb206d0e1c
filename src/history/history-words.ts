import { formatChangeCi } from '../compare/render-compare.js';
import type { Verdict } from '../compare/compare-results.js';
import type {
  ComparedStep,
  HistoryGroup,
  HistoryPoint,
  HistoryStep,
  ScenarioSeries,
} from './history-types.js';
import { provenanceText } from './provenance.js';

/** "2026-12-06 08:23" (UTC) from a result's createdAt; the text as it is when it is not a date. */
export function whenText(createdAt: string): string {
  const at = new Date(createdAt);
  return Number.isNaN(at.getTime()) ? createdAt : at.toISOString().slice(0, 16).replace('T', ' ');
}

export const isCompared = (step: HistoryStep | undefined): step is ComparedStep =>
  step !== undefined && 'verdict' in step;

/** The verdicts a history marks: a step beyond the noise, either way. */
export const MARKED: readonly Verdict[] = ['regression', 'improvement'];

/** "run 7 +18.0% [+12.0%, +25.0%]": a marked step, by the run it ends at. */
export function stepText(point: HistoryPoint): string {
  const step = point.step;
  return isCompared(step)
    ? `run ${point.run} ${formatChangeCi(step.change, step.changeCi)}`
    : `run ${point.run}`;
}

/** The points of a series whose step has `verdict`. */
export function pointsWith(series: ScenarioSeries, verdict: Verdict): HistoryPoint[] {
  return series.points.filter((p) => isCompared(p.step) && p.step.verdict === verdict);
}

/** "20 runs, 2026-12-06 08:23 to 2026-12-06 08:40 UTC, commits 1a2b3c4 to 9f8e7d6". */
export function runsLine(group: HistoryGroup): string {
  const first = group.runs[0];
  const last = group.runs[group.runs.length - 1];
  if (!first || !last) return 'no runs';
  const span =
    first === last
      ? `${whenText(first.createdAt)} UTC`
      : `${whenText(first.createdAt)} to ${whenText(last.createdAt)} UTC`;
  const commits = group.runs.flatMap((r) =>
    r.provenance?.git ? [provenanceText({ git: r.provenance.git })] : [],
  );
  const commitText =
    commits.length === 0
      ? ''
      : commits.length === 1
        ? `, commit ${commits[0] ?? ''}`
        : `, commits ${commits[0] ?? ''} to ${commits[commits.length - 1] ?? ''}`;
  return `${group.runs.length} run${group.runs.length === 1 ? '' : 's'}, ${span}${commitText}`;
}
