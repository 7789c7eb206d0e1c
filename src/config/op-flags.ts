import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { usageError } from '../errors.js';

/** An op module's run: its file and its --op-arg values. Travels in the config to every thread. */
export interface OpModuleRef {
  /** Absolute path of the module. */
  readonly file: string;
  readonly args: Readonly<Record<string, string>>;
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
  return {
    kernel: basename(file, extname(file)),
    op: { file, args: parseOpArgs(options.opArg ?? []) },
  };
}
