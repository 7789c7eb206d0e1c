// reduce_sum: out[0] = sum of x. Two dispatches in one pass: `partial_sums` reduces each block of
// 256 elements to one partial in workgroup memory; `final_sum` has one workgroup fold the partials.
alias T = f32;

struct Params {
  n: u32,
  partials: u32,
}

const WG: u32 = 256u;

@group(0) @binding(0) var<storage, read> x: array<T>;
@group(0) @binding(1) var<storage, read_write> partial: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<T>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> scratch: array<T, 256>;

// Halves the live part of scratch until its sum sits in scratch[0].
fn fold_scratch(local: u32) {
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (local < stride) {
      scratch[local] += scratch[local + stride];
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(256)
fn partial_sums(
  @builtin(workgroup_id) wg: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) local: u32,
) {
  let group = wg.y * groups.x + wg.x;
  let i = group * WG + local;
  if (i < params.n) {
    scratch[local] = x[i];
  } else {
    scratch[local] = T(0);
  }
  workgroupBarrier();
  fold_scratch(local);
  if (local == 0u) {
    partial[group] = scratch[0];
  }
}

@compute @workgroup_size(256)
fn final_sum(@builtin(local_invocation_index) local: u32) {
  var acc = T(0);
  for (var i = local; i < params.partials; i += WG) {
    acc += partial[i];
  }
  scratch[local] = acc;
  workgroupBarrier();
  fold_scratch(local);
  if (local == 0u) {
    out[0] = scratch[0];
  }
}
