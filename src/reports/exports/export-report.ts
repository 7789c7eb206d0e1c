import { usageError } from '../../errors.js';
import type { ProfileResult, StoredResult } from '../../results/result-types.js';
import { bmfText } from './bmf.js';
import { profileBenchmarks, type ExportBenchmark } from './export-measures.js';
import { githubBenchmarkText } from './github-benchmark.js';

/**
 * The exports for continuous-benchmarking engines: Bencher Metric Format, and
 * github-action-benchmark's custom format in its two directions (times smaller-is-better;
 * ops/s, `vs main` and rates bigger-is-better: the action takes one direction per file).
 */
export const EXPORT_FORMATS = ['bmf', 'github-benchmark', 'github-benchmark-bigger'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(format: string): format is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(format);
}

/** A file given to an export: its result, or why it could not be read (a line that names the file). */
export type ExportSource =
  | { readonly path: string; readonly result: StoredResult }
  | { readonly path: string; readonly unreadable: string };

/** What an export made of its files: the text and a line per file left out (naming it), or why nothing was made. */
export type ExportReport =
  | { readonly state: 'exported'; readonly text: string; readonly skipped: readonly string[] }
  | { readonly state: 'nothing'; readonly reason: string };

/**
 * Why a file is left out, in a line that names it first, as the other commands that read several
 * results write it ("b.json: a breakdown result, not a profile").
 */
function whyNot(source: ExportSource): string {
  return 'unreadable' in source
    ? source.unreadable
    : `${source.path}: a ${source.result.kind} result, not a profile`;
}

/**
 * Every profile's scenarios as benchmarks, in the order given. Two results with a benchmark of
 * the same name (the same op and scenario twice, or on two machines) are refused: an engine keeps
 * one history per name and machine, and a document holds one figure per name.
 */
export function mergeBenchmarks(
  profiles: readonly { readonly path: string; readonly result: ProfileResult }[],
): ExportBenchmark[] {
  const from = new Map<string, string>();
  const merged: ExportBenchmark[] = [];
  for (const { path, result } of profiles) {
    for (const benchmark of profileBenchmarks(result)) {
      const earlier = from.get(benchmark.name);
      if (earlier !== undefined) {
        throw usageError(
          `${earlier === path ? `${path} gives the benchmark ${benchmark.name} twice (is it named twice?)` : `${earlier} and ${path} both have the benchmark ${benchmark.name}`}: an export holds one run of each benchmark, so export each run apart, and each machine's (Bencher keeps a machine as --testbed)`,
        );
      }
      from.set(benchmark.name, path);
      merged.push(benchmark);
    }
  }
  return merged;
}

/** The benchmarks in one format's text. */
export function exportText(benchmarks: readonly ExportBenchmark[], format: ExportFormat): string {
  switch (format) {
    case 'bmf':
      return bmfText(benchmarks);
    case 'github-benchmark':
      return githubBenchmarkText(benchmarks, 'smaller');
    case 'github-benchmark-bigger':
      return githubBenchmarkText(benchmarks, 'bigger');
  }
}

/**
 * Several results as one export document: every profile's benchmarks merged; each other file (a
 * result of another kind, or one that could not be read) left out with one line saying why.
 * Nothing to export at all is `nothing`, with the reason in one line.
 */
export function exportReport(sources: readonly ExportSource[], format: ExportFormat): ExportReport {
  const profiles: { path: string; result: ProfileResult }[] = [];
  const others: ExportSource[] = [];
  for (const source of sources) {
    if ('result' in source && source.result.kind === 'profile') {
      profiles.push({ path: source.path, result: source.result });
    } else others.push(source);
  }
  const skipped = others.map(whyNot);
  if (profiles.length === 0) {
    const what =
      sources.length === 1
        ? skipped.join('')
        : `none of the ${sources.length} files is one (${skipped.join('; ')})`;
    return { state: 'nothing', reason: `--format ${format} exports a profile result's scenarios: ${what}` };
  }
  return { state: 'exported', text: exportText(mergeBenchmarks(profiles), format), skipped };
}
