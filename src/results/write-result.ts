import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ioError, messageOf } from '../errors.js';

/** results/2026-11-24T12-40-05-123Z-profile: sortable by time, safe in every file system. */
export function runDirectoryName(kind: string, at: Date): string {
  return `${at.toISOString().replace(/:/g, '-').replace('.', '-')}-${kind}`;
}

/**
 * Writes `text` to `path` through a temporary file and a rename, so a crash or a full disk never
 * leaves a half-written file where a good one was expected.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (error) {
    throw ioError(`cannot write ${path}: ${messageOf(error)}`);
  }
}

/** Creates the run's folder under `root` and writes result.json into it; returns the file's path. */
export async function writeResultFile(
  root: string,
  kind: string,
  at: Date,
  result: unknown,
): Promise<string> {
  const dir = join(root, runDirectoryName(kind, at));
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw ioError(`cannot create ${dir}: ${messageOf(error)}`);
  }
  const path = join(dir, 'result.json');
  await writeAtomically(path, `${JSON.stringify(result)}\n`);
  return path;
}
