import { extname, isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, usageError, type WgprofError } from '../errors.js';

export type { OpModuleRef } from '../config/op-flags.js';

/** What setup is given: wgprof's device and GPU, opened as for every run, and the --op-arg values. */
export interface OpModuleContext {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly gpu: GPU;
  readonly args: Readonly<Record<string, string>>;
}

type MaybeAsync<T> = T | Promise<T>;

/** The default export of a user's op module (the README's "Your own op"). */
export interface OpModule {
  readonly name?: string;
  /** What one op does, for its rates: bytes read + written and operations (work/op-work.ts). */
  work?(args: Readonly<Record<string, string>>): unknown;
  setup?(ctx: OpModuleContext): MaybeAsync<unknown>;
  create?(state: unknown): MaybeAsync<unknown>;
  dispatch(state: unknown): MaybeAsync<unknown>;
  sync(state: unknown): MaybeAsync<unknown>;
  release?(state: unknown): MaybeAsync<unknown>;
  teardown?(state: unknown): MaybeAsync<unknown>;
}

/** The module's path as the user would write it: relative to the working folder when inside it. */
export function shownFile(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

const REQUIRED = ['dispatch', 'sync'] as const;
const OPTIONAL = ['setup', 'create', 'release', 'teardown', 'work'] as const;
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * A .ts (or .js) module written as ESM in a package without "type": "module" (what `npm init -y`
 * makes): Node, which strips a .ts file's types but keeps the package's module type, reads it as
 * CommonJS and stops at its first `export` or `import`.
 */
function readAsCommonJs(file: string, error: unknown): boolean {
  if (!(error instanceof SyntaxError) || ['.mts', '.mjs'].includes(extname(file))) return false;
  return /Unexpected token '(export|import)'|Cannot use import statement outside a module/.test(
    error.message,
  );
}

/** Why a module could not be imported, in one line. */
export function importFailure(file: string, error: unknown): WgprofError {
  const code = (error as { code?: string }).code;
  if (TYPESCRIPT.has(extname(file)) && code === 'ERR_UNKNOWN_FILE_EXTENSION')
    return usageError(
      `--op ${shownFile(file)}: this Node (${process.version}) cannot load TypeScript; compile it to JavaScript first (tsc), or run a Node that strips types (22.18 or later)`,
    );
  if (readAsCommonJs(file, error))
    return usageError(
      `--op ${shownFile(file)}: Node read it as CommonJS (no "type": "module" in the package.json above it), so its export is a syntax error: name it .mts, or set "type": "module" in that package.json`,
    );
  if (code === 'ERR_MODULE_NOT_FOUND' && messageOf(error).includes(file))
    return usageError(`--op ${shownFile(file)}: no such file`);
  const where = userFrame(error, file);
  return usageError(
    `--op ${shownFile(file)}: could not import it: ${firstLine(messageOf(error))}${where ? ` (${where})` : ''}`,
  );
}

const firstLine = (text: string): string => text.split('\n')[0]?.trim() ?? '';

/** The first stack frame in the user's module, as file:line:column, if there is one. */
export function userFrame(error: unknown, file: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(file).href;
  for (const line of stack.split('\n')) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!match) continue;
    const [, path = '', row, column] = match;
    if (path === url || path === file) return `${shownFile(file)}:${row}:${column}`;
  }
  return undefined;
}

/** Checks the default export's shape; one line naming what is missing. */
export function checkOpModule(file: string, exported: unknown): OpModule {
  if (exported === undefined || exported === null)
    throw usageError(
      `--op ${shownFile(file)}: the module has no default export (export default { dispatch, sync, ... })`,
    );
  if (typeof exported !== 'object' && typeof exported !== 'function')
    throw usageError(
      `--op ${shownFile(file)}: its default export is a ${typeof exported}, not an object with dispatch and sync`,
    );
  const module = exported as Record<string, unknown>;
  const missing = REQUIRED.filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0)
    throw usageError(
      `--op ${shownFile(file)}: its default export has no ${missing.join(' and no ')} function`,
    );
  for (const name of OPTIONAL) {
    if (module[name] !== undefined && typeof module[name] !== 'function')
      throw usageError(
        `--op ${shownFile(file)}: its default export's ${name} is a ${typeof module[name]}, not a function`,
      );
  }
  if (module.name !== undefined && typeof module.name !== 'string')
    throw usageError(
      `--op ${shownFile(file)}: its default export's name is a ${typeof module.name}, not a string`,
    );
  return module as unknown as OpModule;
}

/** Imports the module (once per thread: Node caches it) and checks its default export. */
export async function importOpModule(file: string): Promise<OpModule> {
  let namespace: { default?: unknown };
  try {
    namespace = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw importFailure(file, error);
  }
  return checkOpModule(file, namespace.default);
}

/** A throw from the module's own setup, in one line with where in the module it came from. */
export function setupFailure(file: string, error: unknown): WgprofError {
  const where = userFrame(error, file);
  return usageError(
    `--op ${shownFile(file)}: setup threw: ${firstLine(messageOf(error))}${where ? ` (at ${where})` : ''}`,
  );
}
