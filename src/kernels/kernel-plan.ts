import { usageError } from '../errors.js';
import type { DType } from '../tensors/dtype.js';
import { dispatchGrid } from './dispatch-grid.js';
import { checkUniformKeys, uniformWords } from './uniform-block.js';
import type { KernelReflection, ReflectedEntry, StorageBinding, UniformBinding } from './wgsl-reflection.js';

export type TensorRole = 'input' | 'output' | 'scratch' | 'uniform';

/** One buffer an op allocates: inputs are uploaded, outputs and scratch only allocated. */
export interface PlannedTensor {
  readonly name: string;
  readonly binding: number;
  readonly role: TensorRole;
  /** How the kernel binds it: the bind group layout's entry. */
  readonly access: 'read' | 'read-write' | 'uniform';
  /** The scalar type the buffer holds; a uniform block is u32 words. */
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** A uniform block's u32 words, uploaded with every op (plain numbers: the plan is stored in JSON). */
  readonly data?: readonly number[];
}

export interface PlannedDispatch {
  readonly entry: string;
  readonly workgroups: readonly [number, number, number];
}

/** Everything an op of this kernel at this size needs, decided once per run. */
export interface KernelPlan {
  readonly tensors: readonly PlannedTensor[];
  /** Dispatches recorded in one compute pass, in order. */
  readonly dispatches: readonly PlannedDispatch[];
  /** The tensor read back with --readback and checked against a built-in kernel's CPU reference. */
  readonly result: string;
}

export interface DispatchLimits {
  readonly maxComputeWorkgroupsPerDimension: number;
}

export type UniformValues = Readonly<Record<string, readonly number[]>>;

/**
 * What the caller decides about an op beyond what the WGSL says. A user kernel gives --entry,
 * --uniform and --dispatch; a built-in kernel's preset gives its uniforms and, where a plain
 * "--size elements per buffer, one invocation per element" does not fit, its shapes and dispatches.
 */
export interface PlanSetup {
  readonly entry?: string;
  readonly uniforms: UniformValues;
  readonly dispatches?: readonly PlannedDispatch[];
  /** Workgroup counts for the one entry point (--dispatch x,y,z). */
  readonly workgroups?: readonly [number, number, number];
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  readonly roles?: Readonly<Record<string, TensorRole>>;
  readonly result?: string;
}

/** A file with nothing to dispatch is the wrong file for --kernel: a usage error, as a missing --entry is. */
export function noEntryPoint(file: string): Error {
  return usageError(
    `${file} has no compute entry point: wgprof runs a function marked @compute @workgroup_size(...)`,
  );
}

function pickEntry(reflection: KernelReflection, file: string, wanted?: string): ReflectedEntry {
  const names = reflection.entries.map((e) => e.name);
  if (names.length === 0) throw noEntryPoint(file);
  if (wanted !== undefined) {
    const entry = reflection.entries.find((e) => e.name === wanted);
    if (!entry)
      throw usageError(`${file} has no compute entry point '${wanted}': it has ${names.join(', ')}`);
    return entry;
  }
  const [only] = reflection.entries;
  if (only && names.length === 1) return only;
  throw usageError(`${file} has several compute entry points (${names.join(', ')}): choose one with --entry`);
}

function storageShape(b: StorageBinding, size: number): number[] {
  const elements = b.fixedCount ?? size;
  return b.scalarsPerElement > 1 ? [elements, b.scalarsPerElement] : [elements];
}

/**
 * Lays out an op of a reflected kernel: one tensor per binding (read-only storage is input data,
 * read-write storage is allocated, uniforms are filled from `setup.uniforms`) and one dispatch of
 * ceil(size / invocations per workgroup) workgroups, unless the setup says otherwise.
 */
export function planKernel(
  reflection: KernelReflection,
  setup: PlanSetup,
  size: number,
  limits: DispatchLimits,
  file: string,
): KernelPlan {
  const blocks = reflection.bindings.filter((b): b is UniformBinding => b.kind === 'uniform');
  checkUniformKeys(blocks, setup.uniforms, file);
  const tensors = reflection.bindings.map((b): PlannedTensor => {
    if (b.kind === 'uniform') {
      const data = Array.from(uniformWords(b, setup.uniforms, file));
      return {
        name: b.name,
        binding: b.binding,
        role: 'uniform',
        access: 'uniform',
        dtype: 'u32',
        shape: [data.length],
        data,
      };
    }
    return {
      name: b.name,
      binding: b.binding,
      role: setup.roles?.[b.name] ?? (b.kind === 'read' ? 'input' : 'output'),
      access: b.kind,
      dtype: b.scalar,
      shape: setup.shapes?.[b.name] ?? storageShape(b, size),
    };
  });
  let dispatches = setup.dispatches;
  if (!dispatches) {
    const entry = pickEntry(reflection, file, setup.entry);
    const [x, y, z] = entry.workgroupSize;
    const workgroups =
      setup.workgroups ??
      dispatchGrid(Math.ceil(size / (x * y * z)), limits.maxComputeWorkgroupsPerDimension);
    dispatches = [{ entry: entry.name, workgroups }];
  }
  const outputs = tensors.filter((t) => t.role === 'output');
  const result = setup.result ?? outputs[0]?.name ?? tensors[0]?.name ?? '';
  return { tensors, dispatches, result };
}
