import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SkippedFile } from './history-types.js';

/** The file name every wgprof run folder holds its result in. */
export const RESULT_FILE_NAME = 'result.json';

/** The result files under `dir`, at any depth, in name order; symbolic links are not followed. */
async function resultFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // node_modules and .git hold other tools' files, never a run's.
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git')
      found.push(...(await resultFilesUnder(path)));
    else if (entry.isFile() && entry.name === RESULT_FILE_NAME) found.push(path);
  }
  return found;
}

/**
 * The files `history` reads, from the paths it was given: a folder gives every `result.json`
 * under it (`results/`, a CI artifact folder), a file gives itself, whatever its name. A path that
 * cannot be read, or a folder with no result in it, is skipped with why. Each file once, in the
 * order found.
 */
export async function collectResultFiles(
  paths: readonly string[],
): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      skipped.push({
        path,
        reason: code === 'ENOENT' ? 'no such file or folder' : `cannot read it (${code ?? 'error'})`,
      });
      continue;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    let under: string[];
    try {
      under = await resultFilesUnder(path);
    } catch (error) {
      skipped.push({ path, reason: `cannot list it (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    if (under.length === 0)
      skipped.push({ path, reason: `no ${RESULT_FILE_NAME} in this folder or under it` });
    files.push(...under);
  }
  return { files: [...new Set(files)], skipped };
}
