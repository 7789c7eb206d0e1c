import type { CompletedRow, Target, Verdict } from './bench-types.js';

function within(target: Target, value: number): boolean {
  return target.direction === 'at-most' ? value <= target.limit : value >= target.limit;
}

/** Met or not by the point estimate; and whether the CI reaches the other side of the limit. */
export function judge(target: Target | undefined): { verdict: Verdict; ciSpansTarget: boolean } {
  if (!target) return { verdict: 'info', ciSpansTarget: false };
  const { value, low = value, high = value } = target.checked;
  const met = within(target, value);
  return { verdict: met ? 'met' : 'not met', ciSpansTarget: within(target, low) !== within(target, high) };
}

/** A completed row, its verdict taken from its target. */
export function completedRow(row: Omit<CompletedRow, 'state' | 'verdict' | 'ciSpansTarget'>): CompletedRow {
  return { state: 'completed', ...row, ...judge(row.target) };
}
