import { setFloat16 } from '@petamoriken/float16';
import { usageError } from '../errors.js';
import type { UniformValues } from './kernel-plan.js';
import type { UniformBinding, UniformMember } from './wgsl-reflection.js';

/** Checks that a number fits the member's scalar type, as --uniform gave it. */
function checkValue(member: UniformMember, key: string, value: number): void {
  const integer = Number.isInteger(value);
  if (member.scalar === 'u32' && !(integer && value >= 0 && value < 2 ** 32))
    throw usageError(`--uniform ${key}=${value}: ${member.type} takes whole numbers from 0 to 4294967295`);
  if (member.scalar === 'i32' && !(integer && value >= -(2 ** 31) && value < 2 ** 31))
    throw usageError(
      `--uniform ${key}=${value}: ${member.type} takes whole numbers from -2147483648 to 2147483647`,
    );
}

function writeScalar(view: DataView, member: UniformMember, offset: number, value: number): void {
  switch (member.scalar) {
    case 'u32':
      view.setUint32(offset, value, true);
      return;
    case 'i32':
      view.setInt32(offset, value, true);
      return;
    case 'f32':
      view.setFloat32(offset, value, true);
      return;
    case 'f16':
      setFloat16(view, offset, value, true);
  }
}

/**
 * A uniform block's bytes as u32 words, each member written at the offset WGSL's layout rules
 * give it (read by wgsl_reflect). A member's value is found under `block.member`, then `member`;
 * every key it uses is added to `used`, so the caller can refuse the ones nothing used. Sized up
 * to a multiple of 16 bytes, the alignment of a uniform block.
 */
export function uniformWords(
  block: UniformBinding,
  values: UniformValues,
  used: Set<string>,
  file: string,
): Uint32Array {
  const words = new Uint32Array(Math.max(4, Math.ceil(block.byteSize / 16) * 4));
  const view = new DataView(words.buffer);
  const missing: string[] = [];
  for (const member of block.members) {
    const qualified = `${block.name}.${member.name}`;
    const key = [qualified, member.name].find((k) => values[k] !== undefined);
    const given = key === undefined ? undefined : values[key];
    if (key === undefined || given === undefined) {
      missing.push(`${member.name === block.name ? member.name : qualified} (${member.type})`);
      continue;
    }
    used.add(key);
    if (given.length !== member.components) {
      throw usageError(
        `--uniform ${key}: ${member.type} takes ${member.components} comma-separated values, got ${given.length}`,
      );
    }
    const step = member.scalar === 'f16' ? 2 : 4;
    given.forEach((value, k) => {
      checkValue(member, key, value);
      writeScalar(view, member, member.offset + k * step, value);
    });
  }
  if (missing.length > 0) {
    throw usageError(
      `${file} needs a value for uniform ${missing.join(', ')}: pass --uniform NAME=VALUE (a number, ` +
        'comma-separated for a vector, or the word size for --size)',
    );
  }
  return words;
}
