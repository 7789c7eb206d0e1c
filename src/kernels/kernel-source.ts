import { basename, join, relative } from 'node:path';
import type { DType } from '../tensors/dtype.js';
import type { BuiltinKernel } from './builtin-kernel.js';
import { builtinKernel } from './builtin/index.js';
import type { DispatchLimits, PlanSetup, UniformValues } from './kernel-plan.js';
import { hasTypeAlias, readShader, SHADER_DIR, specialize } from './wgsl-source.js';

/** A WGSL file to run: a built-in one from shaders/ with its preset, or the user's own. */
export interface KernelSource {
  /** The kernel's name in tables: a built-in's name, or the file's name without `.wgsl`. */
  readonly name: string;
  readonly path: string;
  /** The path as shown in messages: relative to the working directory. */
  readonly shownPath: string;
  readonly builtin?: BuiltinKernel;
}

/** A user's kernel's name in tables: its file's name without `.wgsl`. */
export function kernelFileName(path: string): string {
  return basename(path).replace(/\.wgsl$/, '');
}

/** The kernel a run profiles: `config.kernelFile` when the user gave one, else the built-in. */
/** Which kernel a run names: a built-in's name, or the user's file (the config's fields of that name). */
export interface KernelChoice {
  readonly kernel: string;
  readonly kernelFile?: string;
}

/** What the command line says of a user's kernel at a size (the config's fields of that name). */
export interface KernelFlags {
  readonly size: number;
  readonly entry?: string;
  readonly uniforms?: UniformValues;
  readonly dispatch?: readonly [number, number, number];
}

export function kernelSource(config: KernelChoice): KernelSource {
  if (config.kernelFile !== undefined) {
    const path = config.kernelFile;
    return { name: kernelFileName(path), path, shownPath: shownPath(path) };
  }
  const builtin = builtinKernel(config.kernel);
  const path = join(SHADER_DIR, builtin.file);
  return { name: builtin.name, path, shownPath: shownPath(path), builtin };
}

function shownPath(path: string): string {
  return relative(process.cwd(), path) || path;
}

/**
 * The WGSL compiled for `dtype`. A file written for `alias T = f32;` is specialised on that line;
 * one without it fixes its own types, and runs as written (the config refuses a --dtype for it).
 */
export function kernelCode(source: KernelSource, dtype: DType): string {
  const text = readShader(source.path);
  return hasTypeAlias(text) ? specialize(text, dtype) : text;
}

/** The element types a kernel file can be compiled for. */
export function kernelDTypes(source: KernelSource): readonly DType[] {
  if (source.builtin) return source.builtin.dtypes;
  return hasTypeAlias(readShader(source.path)) ? ['f32', 'u32', 'i32', 'f16'] : ['f32'];
}

/** What the command line (user kernel) or the preset (built-in) says about an op at this size. */
export function planSetup(source: KernelSource, config: KernelFlags, limits: DispatchLimits): PlanSetup {
  if (source.builtin) return source.builtin.setup(config.size, limits);
  return {
    uniforms: config.uniforms ?? {},
    ...(config.entry === undefined ? {} : { entry: config.entry }),
    ...(config.dispatch === undefined ? {} : { workgroups: config.dispatch }),
  };
}
