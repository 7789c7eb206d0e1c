import { stringify } from 'csv-stringify/sync';
import { PHASES } from '../op/phases.js';
import type { ProfileResult } from '../results/result-types.js';
import { TIMING_NAMES } from '../device/timestamp-check.js';

/** Rows stringified at a time: the CSV of a large result is written in pieces, never as one string. */
const ROWS_PER_PIECE = 10_000;

/**
 * One row per op, one column per phase (nanoseconds; empty where the op's strategy has no such
 * phase), for spreadsheets and data frames: as text in pieces of ROWS_PER_PIECE rows, so that a
 * result of millions of ops never has to fit in one string.
 */
export function* csvText(result: ProfileResult): Generator<string> {
  const phases = PHASES.filter((p) => result.runs.some((r) => r.records.phases[p] !== undefined));
  const options = { cast: { string: neutraliseFormula } };
  const rates = rateColumns(result);
  yield stringify(
    [
      [
        'scenario',
        'op',
        'status',
        'cold',
        'gpu_timing',
        'thread',
        'start_ns',
        ...phases.map((p) => `${p}_ns`),
        'total_ns',
        ...rates.map((c) => c.name),
        'error',
      ],
    ],
    options,
  );
  let rows: (string | number)[][] = [];
  for (const run of result.runs) {
    const r = run.records;
    const failures = new Map(r.failures.map((f) => [f.index, f]));
    const cold = new Set(r.cold);
    for (let i = 0; i < r.startNs.length; i++) {
      const failure = failures.get(i);
      rows.push([
        run.label,
        i,
        failure?.status ?? 'ok',
        cold.has(i) ? 1 : 0,
        r.timing ? timingName(r.timing[i] ?? 0) : '',
        r.threadIds?.[i] ?? '',
        r.startNs[i] ?? '',
        ...phases.map((p) => r.phases[p]?.[i] ?? ''),
        r.totalNs[i] ?? '',
        ...rates.map((c) => c.of(r.phases.kernelGpu?.[i], r.totalNs[i])),
        failure?.message ?? '',
      ]);
      if (rows.length < ROWS_PER_PIECE) continue;
      yield stringify(rows, options);
      rows = [];
    }
  }
  if (rows.length > 0) yield stringify(rows, options);
}

/**
 * Per-op rate columns where the op declares its work (config.work): bytes and operations per
 * second over the op's own GPU time and over its total. Empty where that time is.
 */
function rateColumns(result: ProfileResult): {
  name: string;
  of: (gpuNs: number | null | undefined, totalNs: number | null | undefined) => number | '';
}[] {
  const work = result.config.work;
  if (!work) return [];
  const per = (amount: number, ns: number | null | undefined): number | '' =>
    ns !== null && ns !== undefined && ns > 0 ? (amount * 1e9) / ns : '';
  return [
    ...(work.bytes > 0
      ? [
          { name: 'kernel_bytes_per_s', of: (g: number | null | undefined) => per(work.bytes, g) },
          { name: 'op_bytes_per_s', of: (_: unknown, t: number | null | undefined) => per(work.bytes, t) },
        ]
      : []),
    ...(work.flops > 0
      ? [
          { name: 'kernel_flops_per_s', of: (g: number | null | undefined) => per(work.flops, g) },
          { name: 'op_flops_per_s', of: (_: unknown, t: number | null | undefined) => per(work.flops, t) },
        ]
      : []),
  ];
}

/** A timing code (device/timestamp-check.ts's TIMING) as the CSV's word: untimed, timed, zero, ... */
function timingName(code: number): string {
  return TIMING_NAMES[code] ?? String(code);
}

/** The CSV as one string, for a result small enough to hold it. */
export function toCsv(result: ProfileResult): string {
  return [...csvText(result)].join('');
}

/**
 * A text cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a
 * carriage return: a scenario label, a kernel's name, an error message) gets a leading apostrophe,
 * as OWASP advises against CSV injection. Numbers are numbers, never text, so none changes.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
