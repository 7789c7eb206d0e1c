// saxpy: y = a * x + y, written as a user would write a kernel of their own: fixed types, a
// uniform block, one element per invocation. Profile it with
//   wgprof profile --kernel shaders/examples/saxpy.wgsl --uniform n=size --uniform a=2
struct Params {
  n: u32,
  a: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  // wgprof spreads more than 65,535 workgroups over x and y.
  let i = id.y * groups.x * 64u + id.x;
  if (i < params.n) {
    y[i] = params.a * x[i] + y[i];
  }
}
