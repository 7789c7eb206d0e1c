import { sanitizeBenchmarkName } from './benchmark-name.js';
import type { Better, ExportBenchmark, ExportMeasure } from './export-measures.js';

/**
 * github-action-benchmark's custom tools (https://github.com/benchmark-action/github-action-benchmark,
 * "Examples" -> custom benchmarks): a JSON array of `{ name, unit, value, range?, extra? }`, read
 * as `tool: customSmallerIsBetter` or `tool: customBiggerIsBetter`. The direction belongs to the
 * whole file, so wgprof writes two: the times (ns) smaller-is-better, and ops/s, `vs main` and
 * the rates bigger-is-better.
 */
export interface GithubBenchmarkEntry {
  /** `scale/1M/f32/persistent/latency`: the benchmark, then the measure's slug. */
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /**
   * `± 1234`: the larger of the CI's two distances from the value, so that the band covers the
   * whole CI. The action reads a range written `±` or `+-` and a number (its extractRangeInfo),
   * which it rescales when a unit changes; an interval it would only show as text.
   */
  readonly range?: string;
  /** The CI itself, the adapter and the host, one a line (the action shows it on hover). */
  readonly extra?: string;
}

/** A figure for the range and the CI: four significant digits, never in exponent form below 1e21. */
function figure(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/**
 * A range as the action reads it: `± ` and a number. Its extractRangeInfo matches `\d.+`, two
 * characters at least, so a one-digit range is written `5.0`.
 */
function rangeText(halfWidth: number): string {
  const text = figure(halfWidth);
  return `± ${/^\d$/.test(text) ? `${text}.0` : text}`;
}

function entry(benchmark: ExportBenchmark, m: ExportMeasure): GithubBenchmarkEntry {
  const ci = m.ci
    ? `95% CI [${figure(m.ci.low)}, ${figure(m.ci.high)}] ${m.unit}`
    : m.slug === 'throughput'
      ? 'no CI: the ops completed over the wall time, one count'
      : 'no CI';
  const halfWidth = m.ci ? Math.max(m.value - m.ci.low, m.ci.high - m.value, 0) : undefined;
  return {
    name: sanitizeBenchmarkName(`${benchmark.name}/${m.slug}`),
    unit: m.unit,
    value: m.value,
    ...(halfWidth === undefined ? {} : { range: rangeText(halfWidth) }),
    extra: [ci, `adapter: ${benchmark.machine.adapter}`, `host: ${benchmark.machine.host}`].join('\n'),
  };
}

/** The measures of one direction as the action's entries, benchmark by benchmark. */
export function toGithubBenchmark(
  benchmarks: readonly ExportBenchmark[],
  better: Better,
): GithubBenchmarkEntry[] {
  return benchmarks.flatMap((b) => b.measures.filter((m) => m.better === better).map((m) => entry(b, m)));
}

/** The entries as the file the action's `output-file-path` names. */
export function githubBenchmarkText(benchmarks: readonly ExportBenchmark[], better: Better): string {
  return `${JSON.stringify(toGithubBenchmark(benchmarks, better), null, 2)}\n`;
}
