/**
 * The kernels `wgprof peak` runs, in WGSL. They are the instruments, not ops to profile: each is
 * written so that the one thing it measures bounds its time.
 */

/** Invocations per workgroup of the peak kernels, bounded by the device's limits (compatibility: 128). */
export function peakWorkgroupSize(limits: {
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
}): number {
  return Math.min(256, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
}

/**
 * Streams one buffer into another, a vec4<f32> per invocation: 16 bytes read and 16 written.
 * The grid is two-dimensional (x at most 65,535 workgroups) so that a large buffer needs no loop;
 * the invocations past the end of the last row return.
 */
export function streamShader(workgroupSize: number): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = id.x + id.y * groups.x * ${workgroupSize}u;
  if (i >= arrayLength(&src)) { return; }
  dst[i] = src[i];
}
`;
}

/** FMAs in one iteration of the arithmetic kernel's loop: 8 accumulators, unrolled 4 times. */
export const FMAS_PER_ITERATION = 32;

/**
 * Long independent FMA chains: 8 accumulators per invocation, each seeded from the invocation's
 * id, updated 4 times per iteration for `iterations` iterations, and summed into the output. The
 * multiplier, addend and trip count come from a uniform, so no compiler can fold the loop; the
 * sum is written out, so none can drop it. With a = a * 0.9999 + 0.0001 every chain converges to
 * 1: no overflow, and no denormal (which a CPU, lavapipe's, handles slowly).
 */
export function fmaShader(workgroupSize: number): string {
  const chains = Array.from({ length: 8 }, (_, k) => k);
  const step = chains.map((k) => `    a${k} = fma(a${k}, p.mul, p.add);`).join('\n');
  return /* wgsl */ `
struct Params { iterations: u32, mul: f32, add: f32, pad: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let x = f32(id.x) * 1.0e-7;
${chains.map((k) => `  var a${k} = x + ${(k / 8).toFixed(3)};`).join('\n')}
  for (var i = 0u; i < p.iterations; i++) {
${step}
${step}
${step}
${step}
  }
  out[id.x] = ${chains.map((k) => `a${k}`).join(' + ')};
}
`;
}

/** One invocation that does nothing: the smallest dispatch there is. */
export const EMPTY_SHADER = /* wgsl */ `
@compute @workgroup_size(1)
fn main() {}
`;
