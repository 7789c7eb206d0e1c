import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ioError, messageOf } from '../errors.js';

/** results/2026-11-24T12-40-05-123Z-profile: sortable by time, safe in every file system. */
export function runDirectoryName(kind: string, at: Date): string {
  return `${at.toISOString().replace(/:/g, '-').replace('.', '-')}-${kind}`;
}

/** Pieces of text joined into strings of about this many characters: few writes, none too large. */
const BATCH_CHARS = 1 << 20;

/** `pieces` joined into strings of about BATCH_CHARS each, in order. */
function* batches(pieces: Iterable<string>): Generator<string> {
  let held: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    held.push(piece);
    length += piece.length;
    if (length < BATCH_CHARS) continue;
    yield held.join('');
    held = [];
    length = 0;
  }
  if (held.length > 0) yield held.join('');
}

/** True for an error from the file system (it has an errno code), not from making the text. */
const isSystemError = (error: unknown): boolean =>
  typeof (error as NodeJS.ErrnoException | undefined)?.code === 'string';

/**
 * Writes `text` (one string, or pieces as they are made) to `path` through a temporary file beside
 * it, flushed to disk, and a rename, so a crash or a full disk never leaves a half-written file
 * where a good one was expected: the file is complete or absent. (write-file-atomic 6 made one
 * write and ignored a short one: on a full disk it renamed a truncated file into place and
 * reported success.)
 */
export async function writeAtomically(path: string, text: string | Iterable<string>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx');
    try {
      // writeFile on a handle loops until every byte is written, from where the last one ended,
      // and fails with ENOSPC when the disk is full; sync() makes the bytes durable before the
      // rename makes them visible.
      for (const batch of batches(typeof text === 'string' ? [text] : text)) await file.writeFile(batch);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if (!isSystemError(error)) throw error;
    throw ioError(`cannot write ${path}: ${whyNotWritable(error)}`);
  }
}

/**
 * Writes pieces of text to stdout as they are made, waiting whenever it is full. A reader that
 * went away (`wgprof report ... | head`) ends the writing quietly, as it ends `cat`.
 */
export async function writeToStdout(pieces: Iterable<string>): Promise<void> {
  const out = process.stdout;
  let failed: NodeJS.ErrnoException | undefined;
  // Kept for the process's life: a write's error may come after the last write.
  out.on('error', (error: NodeJS.ErrnoException) => {
    failed ??= error;
  });
  for (const batch of batches(pieces)) {
    if (failed) break;
    if (!out.write(batch)) await drained(out);
  }
  if (failed && failed.code !== 'EPIPE') throw ioError(`cannot write to stdout: ${whyNotWritable(failed)}`);
}

function drained(out: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}

/**
 * Creates the run's folder under `root` (a new one: `-2`, `-3` ... after the name when a run of the
 * same kind was written in the same millisecond) and writes result.json into it; returns its path.
 */
export async function writeResultFile(
  root: string,
  kind: string,
  at: Date,
  result: unknown,
): Promise<string> {
  const dir = await newRunDirectory(root, runDirectoryName(kind, at));
  const path = join(dir, 'result.json');
  try {
    await writeAtomically(path, `${JSON.stringify(result)}\n`);
  } catch (error) {
    // No result: no folder that looks like one.
    await rmdir(dir).catch(() => undefined);
    throw error;
  }
  return path;
}

/** What an error from the file system means for a folder the user named, in words. */
function whyNotWritable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'it, or a folder above it, is a file';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return messageOf(error);
  }
}

/**
 * Checks, before anything is measured, that results can be written under `root`: creates it and
 * writes and removes a small file there. A run must not be spent only to find that its folder
 * cannot take it.
 */
export async function probeOutputFolder(root: string): Promise<void> {
  const probe = join(root, `.wgprof-probe-${process.pid}`);
  try {
    await mkdir(root, { recursive: true }).catch(async (error: unknown) => {
      // A recursive mkdir on a read-only file system says ENOENT: ask the nearest folder that
      // exists why it cannot be written to.
      throw (await whyAncestorRefuses(root)) ?? error;
    });
    const file = await open(probe, 'wx');
    try {
      await file.writeFile('probe\n');
    } finally {
      await file.close();
    }
    await unlink(probe);
  } catch (error) {
    await unlink(probe).catch(() => undefined);
    throw ioError(`cannot write results to ${root}: ${whyNotWritable(error)} (--out)`);
  }
}

async function whyAncestorRefuses(path: string): Promise<unknown> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      await access(dir, constants.F_OK);
    } catch {
      if (dirname(dir) === dir) return undefined;
      continue;
    }
    return access(dir, constants.W_OK).then(
      () => undefined,
      (error: unknown) => error,
    );
  }
}

async function newRunDirectory(root: string, name: string): Promise<string> {
  try {
    await mkdir(root, { recursive: true });
  } catch (error) {
    throw ioError(`cannot create ${root}: ${messageOf(error)}`);
  }
  for (let k = 1; ; k++) {
    const dir = join(root, k === 1 ? name : `${name}-${k}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || k >= 1000)
        throw ioError(`cannot create ${dir}: ${messageOf(error)}`);
    }
  }
}
