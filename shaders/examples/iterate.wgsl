// A kernel whose GPU time is set by a uniform: each element runs `iterations` dependent
// multiply-adds. wgprof's calibration test runs it with one count and with twice that, and checks
// that the measured GPU time doubles. Run it with:
//   wgprof profile --kernel shaders/examples/iterate.wgsl --uniform n=size --uniform iterations=4000
struct Params {
  n: u32,
  iterations: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> data: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= params.n) {
    return;
  }
  var x = data[id.x];
  for (var i = 0u; i < params.iterations; i++) {
    x = x * 0.999 + 0.5;
  }
  data[id.x] = x;
}
