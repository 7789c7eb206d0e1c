import { WgprofError } from '../errors.js';
import { readResultFile } from '../results/read-result.js';
import type { ProfileResult } from '../results/result-types.js';
import type { SkippedFile } from './history-types.js';

/** A profile result and the file it came from. */
export interface LoadedProfile {
  readonly path: string;
  readonly result: ProfileResult;
}

/** readResultFile's message without the path it begins with: the reason alone. */
function reasonOf(path: string, message: string): string {
  if (!message.startsWith(path)) return message;
  return message.slice(path.length).replace(/^:?\s*/, '');
}

/** `f` of each item, at most `concurrency` of them at a time, the answers in the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  concurrency: number,
  f: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/**
 * Reads every file as `wgprof report` does (JSON, a wgprof result of this schema version, valid
 * against the schema) and keeps the profile results: a file that is not one (corrupt, truncated,
 * another tool's, another schema version, another kind of result) is skipped with why, so that
 * one bad file in a folder of a thousand costs a line, not the history.
 */
export async function loadProfiles(
  paths: readonly string[],
): Promise<{ profiles: LoadedProfile[]; skipped: SkippedFile[] }> {
  // A few reads in flight overlap the disk with the parsing; more only hold more text at once.
  const outcomes = await mapLimited(paths, 8, async (path): Promise<LoadedProfile | SkippedFile> => {
    try {
      const result = await readResultFile(path);
      if (result.kind === 'profile') return { path, result };
      return { path, reason: `a ${result.kind} result, not a profile: history follows profiles` };
    } catch (error) {
      if (error instanceof WgprofError) return { path, reason: reasonOf(path, error.message) };
      throw error;
    }
  });
  const profiles: LoadedProfile[] = [];
  const skipped: SkippedFile[] = [];
  for (const outcome of outcomes) {
    if ('result' in outcome) profiles.push(outcome);
    else skipped.push(outcome);
  }
  return { profiles, skipped };
}
