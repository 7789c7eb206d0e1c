import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import type { StoredResult } from './result-types.js';
import { validateResult } from './validate-result.js';

/** Why a file could not be read, in words ("no such file"), from Node's error code. */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a result file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
  }
}

/**
 * Whether a JSON.parse failure means the text stopped early: V8 says "Unexpected end of JSON
 * input", or reports an unterminated string, or an error at the very end of the text.
 */
function isTruncation(message: string, text: string): boolean {
  if (/unexpected end of json input|unterminated string/i.test(message)) return true;
  const position = /at position (\d+)/.exec(message);
  return position !== null && Number(position[1]) >= text.trimEnd().length;
}

/**
 * Reads and checks a result.json: the file must exist, be JSON, be a wgprof result of the schema
 * version this wgprof reads, and match the schema.
 *
 * @param path the file, as the user typed it (it is named in every error).
 * @returns the parsed result, of any kind (profile, breakdown, sync, trace).
 * @throws WgprofError (usage, exit 2) with one line naming the file and what is wrong with it:
 *   missing or unreadable, empty, not JSON, truncated JSON, not a wgprof result, another schema
 *   version, or the first schema violations.
 */
export async function readResultFile(path: string): Promise<StoredResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${readProblem(error)}`);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw usageError(`${path} is empty, not a wgprof result`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
    if (isTruncation(message, text)) {
      throw usageError(`${path} is truncated: its JSON ends before the document is complete`);
    }
    throw usageError(`${path} is not JSON (${message})`);
  }
  const validation = validateResult(data);
  if (!validation.ok) throw usageError(`${path}: ${validation.problem}`);
  return validation.result;
}
