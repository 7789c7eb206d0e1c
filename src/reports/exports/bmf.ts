import type { ExportBenchmark } from './export-measures.js';

/**
 * Bencher Metric Format (https://bencher.dev/docs/reference/bencher-metric-format/), what
 * `bencher run --adapter json` reads: benchmark name -> measure slug -> metric. Bencher's
 * `latency` (ns) and `throughput` (ops/s) are built in; the others (`sync-ns`, `vs-main`,
 * `kernel-bytes-per-s`, ...) are made on first upload. BMF has no field for the machine: Bencher
 * keeps it as the report's testbed (`bencher run --testbed`).
 */
export interface BmfMetric {
  readonly value: number;
  /** The 95% CI's lower end, where the figure has a CI. */
  readonly lower_value?: number;
  readonly upper_value?: number;
}

export type Bmf = Readonly<Record<string, Readonly<Record<string, BmfMetric>>>>;

/** The benchmarks as one BMF document, each measure with its CI as lower and upper values. */
export function toBmf(benchmarks: readonly ExportBenchmark[]): Bmf {
  return Object.fromEntries(
    benchmarks.map((benchmark) => [
      benchmark.name,
      Object.fromEntries(
        benchmark.measures.map((m) => [
          m.slug,
          { value: m.value, ...(m.ci ? { lower_value: m.ci.low, upper_value: m.ci.high } : {}) },
        ]),
      ),
    ]),
  );
}

/** The BMF document as the file `bencher run --file` reads. */
export function bmfText(benchmarks: readonly ExportBenchmark[]): string {
  return `${JSON.stringify(toBmf(benchmarks), null, 2)}\n`;
}
