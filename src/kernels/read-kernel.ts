import { kernelError, messageOf } from '../errors.js';
import type { KernelSource } from './kernel-source.js';
import { reflectKernel, type KernelReflection } from './wgsl-reflection.js';

/**
 * The bindings and entry points of WGSL that Dawn has already accepted (so that a syntax error is
 * reported by the compiler, with its line and column); refuses what wgprof cannot fill.
 */
export function readKernel(source: KernelSource, code: string): KernelReflection {
  let reflection: KernelReflection;
  try {
    reflection = reflectKernel(code);
  } catch (error) {
    throw kernelError(
      `${source.shownPath} compiles, but wgprof's WGSL reader (wgsl_reflect) cannot read its bindings: ${messageOf(error)}`,
    );
  }
  if (reflection.unfillable.length > 0) {
    const lines = reflection.unfillable.map(
      (u) => `  @group(${u.group}) @binding(${u.binding}) ${u.name} (${u.type}): ${u.reason}`,
    );
    throw kernelError(`${source.shownPath} has bindings wgprof cannot fill:\n${lines.join('\n')}`);
  }
  if (reflection.entries.length === 0) throw kernelError(`${source.shownPath} has no @compute entry point`);
  return reflection;
}
