import { kernelError, messageOf } from '../errors.js';
import { noEntryPoint } from './kernel-plan.js';
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
  // Nothing to run is the first thing to say: before what could not be bound for it.
  if (reflection.entries.length === 0) throw noEntryPoint(source.shownPath);
  if (reflection.unfillable.length > 0) {
    const lines = reflection.unfillable.map(
      (u) => `  @group(${u.group}) @binding(${u.binding}) ${u.name} (${u.type}): ${u.reason}`,
    );
    throw kernelError(`${source.shownPath} has bindings wgprof cannot fill:\n${lines.join('\n')}`);
  }
  return reflection;
}
