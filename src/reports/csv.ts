import { stringify } from 'csv-stringify/sync';
import { PHASES } from '../op/phases.js';
import type { ProfileResult } from '../results/result-types.js';

/**
 * One row per op, one column per phase (nanoseconds; empty where the op's strategy has no such
 * phase), for spreadsheets and data frames.
 */
export function toCsv(result: ProfileResult): string {
  const phases = PHASES.filter((p) => result.runs.some((r) => r.records.phases[p] !== undefined));
  const header = [
    'scenario',
    'op',
    'status',
    'cold',
    'thread',
    'start_ns',
    ...phases.map((p) => `${p}_ns`),
    'total_ns',
    'error',
  ];
  const rows: (string | number)[][] = [];
  for (const run of result.runs) {
    const r = run.records;
    const failures = new Map(r.failures.map((f) => [f.index, f]));
    const cold = new Set(r.cold);
    r.startNs.forEach((start, i) => {
      const failure = failures.get(i);
      rows.push([
        run.label,
        i,
        failure?.status ?? 'ok',
        cold.has(i) ? 1 : 0,
        r.threadIds?.[i] ?? '',
        start,
        ...phases.map((p) => r.phases[p]?.[i] ?? ''),
        r.totalNs[i] ?? '',
        failure?.message ?? '',
      ]);
    });
  }
  return stringify([header, ...rows], { cast: { string: neutraliseFormula } });
}

/**
 * A text cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a
 * carriage return: a scenario label, a kernel's name, an error message) gets a leading apostrophe,
 * as OWASP advises against CSV injection. Numbers are numbers, never text, so none changes.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
