import {
  ResourceType,
  WgslReflect,
  type MemberInfo,
  type TypeInfo,
  type VariableInfo,
} from 'wgsl_reflect/wgsl_reflect.module.js';
import { DTYPES, DTYPE_INFO, type DType } from '../tensors/dtype.js';

/**
 * What wgprof needs to know of a WGSL file to run it: its compute entry points and the buffers
 * they bind, read from the source by wgsl_reflect (a WGSL parser), never declared by hand. Built-in
 * and user kernels alike go through here.
 */
export interface KernelReflection {
  readonly entries: readonly ReflectedEntry[];
  /** The @group(0) buffers wgprof can fill, in binding order. */
  readonly bindings: readonly ReflectedBinding[];
  /** Everything else the file declares: wgprof cannot run the kernel while any is left. */
  readonly unfillable: readonly Unfillable[];
}

export interface ReflectedEntry {
  readonly name: string;
  readonly workgroupSize: readonly [number, number, number];
}

/** A storage buffer of scalars or vectors: wgprof allocates --size elements (or the fixed count). */
export interface StorageBinding {
  readonly kind: 'read' | 'read-write';
  readonly binding: number;
  readonly name: string;
  /** As written: array<f32>, array<vec4f, 64>. */
  readonly type: string;
  readonly scalar: DType;
  /** Scalars per array element, padding included (vec3f: 4). */
  readonly scalarsPerElement: number;
  /** The element count of a fixed-size array; absent for a runtime-sized one. */
  readonly fixedCount?: number;
}

/** A uniform block, filled member by member from --uniform values. */
export interface UniformBinding {
  readonly kind: 'uniform';
  readonly binding: number;
  readonly name: string;
  readonly type: string;
  readonly byteSize: number;
  readonly members: readonly UniformMember[];
}

export interface UniformMember {
  /** `n`, or the variable's own name for a uniform that is a bare scalar or vector. */
  readonly name: string;
  readonly offset: number;
  readonly scalar: DType;
  readonly components: number;
  readonly type: string;
}

export type ReflectedBinding = StorageBinding | UniformBinding;

export interface Unfillable {
  readonly group: number;
  readonly binding: number;
  readonly name: string;
  readonly type: string;
  readonly reason: string;
}

const SCALAR = /^(f32|f16|u32|i32)$/;
const VECTOR_SHORT = /^vec([234])([fhui])$/;
const VECTOR_LONG = /^vec([234])<(f32|f16|u32|i32)>$/;
const ATOMIC = /^atomic<(u32|i32)>$/;
const SHORT_SCALAR: Record<string, DType> = { f: 'f32', h: 'f16', u: 'u32', i: 'i32' };

/** A scalar, vector or atomic type's scalar and component count; undefined for anything else. */
export function scalarLayout(typeName: string): { scalar: DType; components: number } | undefined {
  const scalar = SCALAR.exec(typeName) ?? ATOMIC.exec(typeName);
  if (scalar) return { scalar: scalar[1] as DType, components: 1 };
  const short = VECTOR_SHORT.exec(typeName);
  if (short) return { scalar: SHORT_SCALAR[short[2] ?? ''] as DType, components: Number(short[1]) };
  const long = VECTOR_LONG.exec(typeName);
  if (long) return { scalar: long[2] as DType, components: Number(long[1]) };
  return undefined;
}

const WHAT_WGPROF_FILLS = `wgprof fills storage arrays of ${DTYPES.join(', ')} or their vectors, and uniforms made of those`;

function storageBinding(v: VariableInfo, kind: 'read' | 'read-write'): StorageBinding | string {
  const type = v.type.getTypeName();
  const element = v.type.isArray ? v.format : null;
  if (!element) return `not an array; ${WHAT_WGPROF_FILLS}`;
  const layout = scalarLayout(element.getTypeName());
  if (!layout) return `an array of ${element.getTypeName()}; ${WHAT_WGPROF_FILLS}`;
  return {
    kind,
    binding: v.binding,
    name: v.name,
    type,
    scalar: layout.scalar,
    scalarsPerElement: Math.max(layout.components, v.stride / DTYPE_INFO[layout.scalar].bytes),
    ...(v.count > 0 ? { fixedCount: v.count } : {}),
  };
}

function uniformMember(name: string, offset: number, type: TypeInfo): UniformMember | undefined {
  const layout = scalarLayout(type.getTypeName());
  return layout && { name, offset, type: type.getTypeName(), ...layout };
}

function uniformBinding(v: VariableInfo): UniformBinding | string {
  const type = v.type.getTypeName();
  const members: (UniformMember | undefined)[] = v.type.isStruct
    ? (v.members ?? []).map((m: MemberInfo) => uniformMember(m.name, m.offset, m.type))
    : [uniformMember(v.name, 0, v.type)];
  const bad = (v.members ?? [])
    .filter((_, k) => !members[k])
    .map((m) => `${m.name}: ${m.type.getTypeName()}`);
  if (members.some((m) => !m)) {
    return `${bad.length > 0 ? `its members ${bad.join(', ')} are` : 'it is'} neither scalars nor vectors; ${WHAT_WGPROF_FILLS}`;
  }
  return {
    kind: 'uniform',
    binding: v.binding,
    name: v.name,
    type,
    byteSize: v.size,
    members: members as UniformMember[],
  };
}

/** Reads a kernel's entry points and bindings. Throws on WGSL the parser cannot read. */
export function reflectKernel(code: string): KernelReflection {
  const reflect = new WgslReflect(code);
  const bindings: ReflectedBinding[] = [];
  const unfillable: Unfillable[] = [];
  const refuse = (v: VariableInfo, reason: string): void => {
    unfillable.push({ group: v.group, binding: v.binding, name: v.name, type: v.type.getTypeName(), reason });
  };
  for (const v of [...reflect.storage, ...reflect.uniforms]) {
    if (v.group !== 0) {
      refuse(v, 'wgprof binds @group(0) only');
      continue;
    }
    const made =
      v.resourceType === ResourceType.Uniform
        ? uniformBinding(v)
        : storageBinding(v, v.access === 'read' ? 'read' : 'read-write');
    if (typeof made === 'string') refuse(v, made);
    else bindings.push(made);
  }
  for (const v of [...reflect.textures, ...reflect.samplers]) {
    refuse(
      v,
      `a ${v.type.getTypeName().startsWith('sampler') ? 'sampler' : 'texture'}; ${WHAT_WGPROF_FILLS}`,
    );
  }
  bindings.sort((a, b) => a.binding - b.binding);
  const entries = reflect.entry.compute.map((f) => {
    const [x = 1, y = 1, z = 1] = f.workgroupSize ?? [];
    return { name: f.name, workgroupSize: [x, y, z] as const };
  });
  return { entries, bindings, unfillable };
}
