import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import type { UniformValues } from '../kernels/kernel-plan.js';

/** `--kernel` names a file when it looks like one; anything else is a built-in kernel's name. */
export function isKernelFile(text: string): boolean {
  return text.endsWith('.wgsl') || text.includes('/') || text.includes('\\');
}

/** The absolute path of a user's kernel file, refused in one line if it cannot be read. */
export function resolveKernelFile(text: string): string {
  const path = resolve(text);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw usageError(`--kernel ${text}: no such file`);
  }
  if (!isFile) throw usageError(`--kernel ${text}: not a file`);
  return path;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * `--uniform NAME=VALUE`, repeatable: a number, comma-separated numbers for a vector, or the word
 * `size` for --size (the element count most kernels take as `n`).
 */
export function parseUniforms(texts: readonly string[], size: number): UniformValues {
  const values: Record<string, number[]> = {};
  for (const text of texts) {
    const match = /^\s*([A-Za-z_][\w.]*)\s*=\s*(.+?)\s*$/.exec(text);
    if (!match) throw usageError(`--uniform must be NAME=VALUE, such as n=size or scale=0.5, not '${text}'`);
    const [, name = '', list = ''] = match;
    // A second value would silently replace the first.
    if (values[name] !== undefined)
      throw usageError(`--uniform ${name} is given twice: give each uniform once`);
    values[name] = list.split(',').map((part) => {
      const word = part.trim();
      if (word === 'size') return size;
      if (!NUMBER.test(word)) {
        throw usageError(`--uniform ${name}: '${word}' is not a number (nor the word size)`);
      }
      return Number(word);
    });
  }
  return values;
}

/** `--dispatch X[,Y[,Z]]`: the workgroup counts of the kernel's one dispatch. */
export function parseDispatch(text: string): [number, number, number] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 3 || !parts.every((p) => /^\d+$/.test(p) && Number(p) >= 1)) {
    throw usageError(
      `--dispatch must be one to three whole numbers of at least 1, such as 4096 or 64,64,1, not '${text}'`,
    );
  }
  const [x = 1, y = 1, z = 1] = parts.map(Number);
  return [x, y, z];
}
