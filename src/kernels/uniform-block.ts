import { usageError } from '../errors.js';
import { float16Polyfill } from '../tensors/dtype.js';
import type { UniformValues } from './kernel-plan.js';
import type { UniformBinding, UniformMember } from './wgsl-reflection.js';

/** The largest finite f32 and f16: a --uniform value past them would be written as infinity. */
const FLOAT_MAX: Readonly<Record<'f32' | 'f16', number>> = { f32: 3.4028234663852886e38, f16: 65504 };
const FLOAT_ROUND: Readonly<Record<'f32' | 'f16', (x: number) => number>> = {
  f32: Math.fround,
  // Loaded on first use: the polyfill costs every worker about 8 ms to load, for a type few runs use.
  f16: (x) => float16Polyfill().f16round(x),
};

/** Checks that the numbers given fit the member's scalar type; `shown` is the flag as given. */
function checkValues(member: UniformMember, shown: string, values: readonly number[]): void {
  const { scalar, type } = member;
  for (const value of values) {
    const integer = Number.isInteger(value);
    if (scalar === 'u32' && !(integer && value >= 0 && value < 2 ** 32))
      throw usageError(`--uniform ${shown}: ${type} takes whole numbers from 0 to 4294967295`);
    if (scalar === 'i32' && !(integer && value >= -(2 ** 31) && value < 2 ** 31))
      throw usageError(`--uniform ${shown}: ${type} takes whole numbers from -2147483648 to 2147483647`);
    if ((scalar === 'f32' || scalar === 'f16') && !Number.isFinite(FLOAT_ROUND[scalar](value))) {
      const numbers = type === scalar ? 'numbers' : `${scalar} numbers`;
      throw usageError(
        `--uniform ${shown}: ${type} takes ${numbers} from -${FLOAT_MAX[scalar]} to ${FLOAT_MAX[scalar]}; ` +
          `${value} would become infinity`,
      );
    }
  }
}

/** A member as a --uniform key names it: `n` for a bare uniform, `params.n` for a block's member. */
function qualifiedName(block: UniformBinding, member: UniformMember): string {
  return member.name === block.name ? member.name : `${block.name}.${member.name}`;
}

/**
 * What the file's uniforms are called, for a message: as `--uniform` takes them, plain names with
 * one block (unless `qualified`), `block.member` with several.
 */
function uniformNames(blocks: readonly UniformBinding[], qualified = blocks.length > 1): string {
  const names = blocks.flatMap((b) => b.members.map((m) => (qualified ? qualifiedName(b, m) : m.name)));
  return names.length > 0 ? `it has ${names.join(', ')}` : 'it has none';
}

/** `--uniform BLOCK.MEMBER`: the block must be there, and have that member. */
function checkQualified(blocks: readonly UniformBinding[], key: string, file: string): void {
  const dot = key.indexOf('.');
  const [blockName, memberName] = [key.slice(0, dot), key.slice(dot + 1)];
  const block = blocks.find((b) => b.name === blockName);
  if (!block)
    throw usageError(
      `--uniform ${key}: ${file} has no uniform block '${blockName}' (${uniformNames(blocks, true)})`,
    );
  if (!block.members.some((m) => m.name === memberName))
    throw usageError(
      `--uniform ${key}: uniform block '${blockName}' in ${file} has no member '${memberName}' ` +
        `(it has ${block.members.map((m) => m.name).join(', ')})`,
    );
}

/** `--uniform MEMBER`: some block must have it, and not every such block be set as BLOCK.MEMBER already. */
function checkPlain(blocks: readonly UniformBinding[], key: string, given: Set<string>, file: string): void {
  const holders = blocks.filter((b) => b.members.some((m) => m.name === key));
  if (holders.length === 0)
    throw usageError(`--uniform ${key}: ${file} has no such uniform (${uniformNames(blocks)})`);
  const qualified = holders.map((b) => `${b.name}.${key}`);
  if (holders.some((b) => b.name === key) || !qualified.every((q) => given.has(q))) return;
  throw usageError(
    qualified.length === 1
      ? `--uniform ${key} and --uniform ${qualified[0] ?? ''} both set ${qualified[0] ?? ''}: give one of them`
      : `--uniform ${key} sets nothing: ${qualified.map((q) => `--uniform ${q}`).join(' and ')} already set every '${key}'; leave it out`,
  );
}

/**
 * Checks every --uniform key against the file's uniform blocks before any block is filled, so that
 * each refusal names the flag as given and what the file has, rather than a member left without a
 * value because its key was misspelt. `BLOCK.MEMBER` must name a block and one of its members; a
 * plain `MEMBER` must be a member of some block, and fill at least one that a `BLOCK.MEMBER` key
 * does not already fill (uniformWords prefers the qualified key).
 */
export function checkUniformKeys(
  blocks: readonly UniformBinding[],
  values: UniformValues,
  file: string,
): void {
  const given = new Set(Object.keys(values));
  for (const key of given) {
    if (key.includes('.')) checkQualified(blocks, key, file);
    else checkPlain(blocks, key, given, file);
  }
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
      float16Polyfill().setFloat16(view, offset, value, true);
  }
}

/**
 * A uniform block's bytes as u32 words, each member written at the offset WGSL's layout rules
 * give it (read by wgsl_reflect). A member's value is found under `block.member`, then `member`
 * (checkUniformKeys has refused the keys that fill nothing). Sized up to a multiple of 16 bytes,
 * the alignment of a uniform block.
 */
export function uniformWords(block: UniformBinding, values: UniformValues, file: string): Uint32Array {
  const words = new Uint32Array(Math.max(4, Math.ceil(block.byteSize / 16) * 4));
  const view = new DataView(words.buffer);
  const missing: string[] = [];
  for (const member of block.members) {
    const qualified = `${block.name}.${member.name}`;
    const key = [qualified, member.name].find((k) => values[k] !== undefined);
    const given = key === undefined ? undefined : values[key];
    if (key === undefined || given === undefined) {
      missing.push(`${qualifiedName(block, member)} (${member.type})`);
      continue;
    }
    if (given.length !== member.components) {
      throw usageError(
        `--uniform ${key}: ${member.type} takes ${member.components} comma-separated values, got ${given.length}`,
      );
    }
    checkValues(member, `${key}=${given.join(',')}`, given);
    const step = member.scalar === 'f16' ? 2 : 4;
    given.forEach((value, k) => {
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
