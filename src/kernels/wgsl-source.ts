import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DType } from '../tensors/dtype.js';

/** shaders/ sits two levels above this module, both as src/kernels/*.ts and dist/kernels/*.js. */
export const SHADER_DIR = fileURLToPath(new URL('../../shaders/', import.meta.url));

const ALIAS = /^alias T = f32;/m;

/** True for a kernel written once for `alias T = f32;`, which wgprof can compile for every dtype. */
export function hasTypeAlias(source: string): boolean {
  return ALIAS.test(source);
}

/**
 * Kernels written for `alias T = f32;` are specialised per dtype by rewriting that line in place.
 * `enable f16;` goes on the same line so that the compiler's line numbers still point into the
 * file as written.
 */
export function specialize(source: string, dtype: DType): string {
  if (dtype === 'f32') return source;
  if (!hasTypeAlias(source)) throw new Error('kernel has no `alias T = f32;` line to specialise');
  const replacement = dtype === 'f16' ? 'enable f16; alias T = f16;' : `alias T = ${dtype};`;
  return source.replace(ALIAS, replacement);
}

const cache = new Map<string, string>();

export function readShader(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    cache.set(path, text);
  }
  return text;
}
