import type { QualityWarning } from '../results/result-types.js';
import type { AnyResult } from '../results/result-types.js';
import { formatIn, unitFor } from './units.js';

/** The first words of the warnings block: the HTML report finds it by them. */
export const WARNINGS_HEADING = 'Measurement warnings';
/** The first word of the timer line. */
export const TIMER_HEADING = 'Timer:';

/**
 * "process.hrtime.bigint, resolution 44 ns, 71 ns per reading; recording an op costs 350 ns
 * (median): ...": what the clock (and, once measured, wgprof's own per-op recording) can resolve.
 */
export function timerFloorText(result: AnyResult): string {
  const { timer, recordingCostNs } = result.environment;
  const recording =
    recordingCostNs === undefined
      ? ''
      : `; recording an op costs ${formatIn(recordingCostNs, unitFor(recordingCostNs))} ${unitFor(recordingCostNs).label} (median)`;
  return (
    `${timer.clock}, resolution ${timer.resolutionNs} ns, ${timer.costNs} ns per reading${recording}: ` +
    'the floor below which differences mean nothing'
  );
}

/** Warnings of one code shown before the rest are counted: a noisy sync run can find 30 alike. */
export const SHOWN_PER_CODE = 5;

/** Consecutive warnings of one code (the list comes sorted by code). */
function byCode(warnings: readonly QualityWarning[]): QualityWarning[][] {
  const groups: QualityWarning[][] = [];
  for (const w of warnings) {
    const last = groups[groups.length - 1];
    if (last?.[0]?.code === w.code) last.push(w);
    else groups.push([w]);
  }
  return groups;
}

/**
 * The warnings as a list, each "[code] message"; the advice follows the last of a run of warnings
 * that share it, so that ten warnings with one remedy name it once. Past SHOWN_PER_CODE of a code,
 * the rest are counted (result.json keeps every one).
 */
export function warningsBlock(warnings: readonly QualityWarning[]): string {
  if (warnings.length === 0) return `${WARNINGS_HEADING}: none.`;
  const lines = [`${WARNINGS_HEADING} (${warnings.length}), and what to do:`];
  for (const group of byCode(warnings)) {
    const shown = group.length > SHOWN_PER_CODE + 1 ? group.slice(0, SHOWN_PER_CODE) : group;
    shown.forEach((w, i) => {
      lines.push(`- [${w.code}] ${w.message}`);
      const next = shown[i + 1];
      if (next === undefined && shown.length < group.length)
        lines.push(`- [${w.code}] ... and ${group.length - shown.length} more (result.json lists every one)`);
      if (next?.advice !== w.advice) lines.push(`  What to do: ${w.advice}`);
    });
  }
  return lines.join('\n');
}

/**
 * The blocks that go under a report's tables: the clock's floor, then the warnings (none for a
 * result written before wgprof had them, which says nothing about its quality either way).
 */
export function qualitySection(result: AnyResult): string[] {
  const timer = `${TIMER_HEADING} ${timerFloorText(result)}.`;
  return result.warnings === undefined ? [timer] : [timer, warningsBlock(result.warnings)];
}
