import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { usageError } from '../errors.js';

/** An op module's run: its file and its --op-arg values. Travels in the config to every thread. */
export interface OpModuleRef {
  /** Absolute path of the module. */
  readonly file: string;
  readonly args: Readonly<Record<string, string>>;
  /**
   * Set when Node takes the module's type from a package.json without "type": "module" (or from no
   * package.json): an ESM module there is parsed as CommonJS first, fails, and is parsed again;
   * Node warns in every thread, or, where it does not reparse, refuses the module. The package.json
   * meant (null: none found).
   */
  readonly typelessPackage?: string | null;
}

/** The kernel's flags, which an op module (it makes its own kernels and tensors) does not take. */
const KERNEL_ONLY = ['kernel', 'entry', 'uniform', 'dispatch', 'dtype', 'readback'] as const;

interface OpFlags {
  op?: string;
  opArg?: string[];
  kernel?: string;
  entry?: string;
  uniform?: string[];
  dispatch?: string;
  dtype?: string;
  readback?: boolean;
}

/** `--op-arg KEY=VALUE`, repeatable: strings, as the module's ctx.args. */
export function parseOpArgs(texts: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const text of texts) {
    const match = /^\s*([A-Za-z_$][\w$.-]*)=(.*)$/s.exec(text);
    if (!match) throw usageError(`--op-arg must be KEY=VALUE, such as n=256, not '${text}'`);
    const [, key = '', value = ''] = match;
    if (key in args) throw usageError(`--op-arg ${key}: given twice`);
    args[key] = value;
  }
  return args;
}

/** --op FILE and its --op-arg values; the kernel's flags beside it are refused in one line. */
export function resolveOpModule(options: OpFlags): { kernel: string; op: OpModuleRef } {
  const text = options.op ?? '';
  const given = KERNEL_ONLY.filter((k) => {
    const v = options[k];
    return v !== undefined && v !== false && (!Array.isArray(v) || v.length > 0);
  });
  if (given.length > 0)
    throw usageError(
      `${given.map((k) => `--${k}`).join(', ')}: not with --op (an op module makes its own kernels and tensors; pass values with --op-arg)`,
    );
  const file = resolve(text);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw usageError(`--op ${text}: no such file`);
  }
  if (!isFile) throw usageError(`--op ${text}: not a file`);
  const typeless = typelessPackage(file);
  return {
    kernel: basename(file, extname(file)),
    op: {
      file,
      args: parseOpArgs(options.opArg ?? []),
      ...(typeless === undefined ? {} : { typelessPackage: typeless }),
    },
  };
}

/**
 * The package.json that leaves a .js or .ts module's type to Node's guess (null: there is none
 * above it); undefined when the module's type is settled (.mjs, .mts, .cjs, .cts, or "type" set).
 */
export function typelessPackage(file: string): string | null | undefined {
  if (!['.js', '.ts', '.tsx'].includes(extname(file))) return undefined;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        return type === undefined ? path : undefined;
      } catch {
        return path;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
