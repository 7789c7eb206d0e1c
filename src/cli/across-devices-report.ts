import { usageError, WgprofError } from '../errors.js';
import { acrossDevices, type AcrossDevices } from '../history/across-devices.js';
import { acrossHtml } from '../history/across-devices-html.js';
import { acrossMarkdown, acrossView } from '../history/across-devices-table.js';
import { readResultFile } from '../results/read-result.js';
import type { ProfileResult } from '../results/result-types.js';
import { writeAtomically, writeToStdout } from '../results/write-result.js';
import { viewOptions } from './terminal-view.js';

/** The formats of several profiles of one op side by side; the terminal's view when none is asked for. */
export const ACROSS_FORMATS = ['md', 'html', 'json'] as const;

export const isAcrossFormat = (format: string): boolean =>
  (ACROSS_FORMATS as readonly string[]).includes(format);

/** The files one at a time (a result can be hundreds of MB): the profiles, and a line for each other file. */
async function readProfiles(paths: readonly string[]): Promise<{ path: string; result: ProfileResult }[]> {
  const profiles: { path: string; result: ProfileResult }[] = [];
  for (const path of paths) {
    try {
      const result = await readResultFile(path);
      if (result.kind === 'profile') profiles.push({ path, result });
      else process.stderr.write(`wgprof: skipped ${path}: a ${result.kind} result, not a profile\n`);
    } catch (error) {
      if (!(error instanceof WgprofError)) throw error;
      process.stderr.write(`wgprof: skipped ${error.message}\n`);
    }
  }
  return profiles;
}

/**
 * `wgprof report a.json b.json ...` of profile results: one op on several devices or hosts as one
 * table (the terminal's view, or --format md, html or json). Files that are not profiles are
 * skipped with a line each; none left, or results of different ops, is exit 2.
 *
 * @param format md, html or json; undefined: the terminal's view.
 */
export async function acrossDevicesReport(
  paths: readonly string[],
  format: string | undefined,
  out: string | undefined,
): Promise<void> {
  const profiles = await readProfiles(paths);
  if (profiles.length === 0)
    throw usageError(`none of the ${paths.length} files is a profile result: nothing to put side by side`);
  let table: AcrossDevices;
  try {
    table = acrossDevices(profiles);
  } catch (error) {
    if (error instanceof RangeError) throw usageError(`${error.message}: give results of one op`);
    throw error;
  }
  const text =
    format === 'md'
      ? acrossMarkdown(table)
      : format === 'html'
        ? acrossHtml(table)
        : format === 'json'
          ? `${JSON.stringify(table)}\n`
          : acrossView(
              table,
              out === undefined ? viewOptions({}) : { ...viewOptions({ color: false }), width: 80 },
            );
  if (out) await writeAtomically(out, text);
  else await writeToStdout([text]);
}
