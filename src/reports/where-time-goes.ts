import { isSequential, PHASE_LABEL, PHASES } from '../op/phases.js';
import type { StrategyResult } from '../results/result-types.js';

/** The op's largest phases with their shares of its median total: "sync 85% · creation 10%". */
export function whereTimeGoes(run: StrategyResult, most = 2): string {
  const total = run.summary.total?.median;
  if (!total || total <= 0) return '-';
  const shares = PHASES.filter(isSequential)
    .map((p) => ({ p, share: (run.summary[p]?.median ?? 0) / total }))
    .filter((s) => s.share >= 0.05)
    .sort((a, b) => b.share - a.share)
    .slice(0, most);
  return shares.map((s) => `${PHASE_LABEL[s.p]} ${(100 * s.share).toFixed(0)}%`).join(' · ') || '-';
}
