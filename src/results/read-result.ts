import { constants } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { usageError, WgprofError } from '../errors.js';
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
 * The largest result file wgprof reads, in bytes: JSON.parse needs the whole text as one string,
 * and V8's strings stop at 2^29 - 24 characters (about 512 MiB; a byte of UTF-8 is at most one).
 * A 2M-op profile is about 163 MB.
 */
export const MAX_RESULT_BYTES = constants.MAX_STRING_LENGTH;

const MIB = 1024 * 1024;

/** "is 572 MiB (600,000,008 bytes), past the 512 MiB ...": the size beside the limit, in one line. */
function tooLarge(path: string, bytes: number | undefined): Error {
  const limit = `${(MAX_RESULT_BYTES / MIB).toFixed(0)} MiB (${MAX_RESULT_BYTES.toLocaleString('en-US')} bytes)`;
  const size =
    bytes === undefined
      ? `is longer than the ${limit}`
      : `is ${(bytes / MIB).toFixed(0)} MiB (${bytes.toLocaleString('en-US')} bytes), past the ${limit}`;
  return usageError(`${path} ${size} a result file can be: the longest text JavaScript can parse`);
}

/**
 * The file's text, refused past MAX_RESULT_BYTES: a regular file by its size, before reading it;
 * anything else (a pipe, /dev/stdin, a device such as /dev/zero) read until it ends or passes it.
 */
async function readCapped(path: string, file: FileHandle): Promise<string> {
  const info = await file.stat();
  if (info.isFile()) {
    if (info.size > MAX_RESULT_BYTES) throw tooLarge(path, info.size);
    return (await file.readFile()).toString('utf8');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(16 * MIB, MAX_RESULT_BYTES + 1 - total));
    const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > MAX_RESULT_BYTES) throw tooLarge(path, undefined);
  }
  return Buffer.concat(chunks, total).toString('utf8');
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
 *   missing or unreadable, larger than MAX_RESULT_BYTES, empty, not JSON, truncated JSON, not a
 *   wgprof result, another schema version, or the first schema violations.
 */
export async function readResultFile(path: string): Promise<StoredResult> {
  let text: string;
  let file: FileHandle | undefined;
  try {
    file = await open(path, 'r');
    text = await readCapped(path, file);
  } catch (error) {
    if (error instanceof WgprofError) throw error;
    throw usageError(`cannot read ${path}: ${readProblem(error)}`);
  } finally {
    await file?.close();
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
