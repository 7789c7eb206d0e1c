import { usageError, WgprofError } from '../errors.js';
import {
  EXPORT_FORMATS,
  exportReport,
  type ExportFormat,
  type ExportSource,
} from '../reports/exports/export-report.js';
import { readResultFile } from '../results/read-result.js';
import { ACROSS_FORMATS } from './across-devices-report.js';

/**
 * The files of `wgprof report A B ... --format bmf|github-benchmark|github-benchmark-bigger`, one
 * at a time (a result can be hundreds of MB). One file that cannot be read fails as it would
 * alone; among several, it is left out with the others that are not profiles.
 */
async function readSources(paths: readonly string[]): Promise<ExportSource[]> {
  const sources: ExportSource[] = [];
  for (const path of paths) {
    try {
      sources.push({ path, result: await readResultFile(path) });
    } catch (error) {
      if (paths.length === 1 || !(error instanceof WgprofError)) throw error;
      sources.push({ path, unreadable: error.message });
    }
  }
  return sources;
}

/**
 * Several results as one export: a `wgprof: skipped` line on stderr for each file left out, and
 * a usage error (exit 2) when no file is a profile.
 */
export async function exportFiles(paths: readonly string[], format: ExportFormat): Promise<string[]> {
  const exported = exportReport(await readSources(paths), format);
  if (exported.state === 'nothing') throw usageError(exported.reason);
  for (const line of exported.skipped) process.stderr.write(`wgprof: skipped ${line}\n`);
  return [exported.text];
}

/** The one file of a report of one result: several make a table across devices or an export. */
export function onlyFile(paths: readonly string[], format: string): string {
  const [path] = paths;
  if (path === undefined || paths.length > 1) {
    throw usageError(
      `--format ${format} writes one result (${paths.length} given): several make one table across devices (--format ${ACROSS_FORMATS.join(', ')}) or one export (--format ${EXPORT_FORMATS.join(', ')})`,
    );
  }
  return path;
}
