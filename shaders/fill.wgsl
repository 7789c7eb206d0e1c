// fill: y[i] = value.
alias T = f32;

struct Params {
  n: u32,
  value: f32,
}

@group(0) @binding(0) var<storage, read_write> y: array<T>;
@group(0) @binding(1) var<uniform> params: Params;

// Dispatches are two-dimensional when one dimension's 65,535 workgroups are not enough.
@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wg: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) local: u32,
) {
  let i = (wg.y * groups.x + wg.x) * 256u + local;
  if (i >= params.n) {
    return;
  }
  y[i] = T(params.value);
}
