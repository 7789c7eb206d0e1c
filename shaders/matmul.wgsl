// matmul: c (m x n) = a (m x k) * b (k x n), row-major. Each 16x16 workgroup computes one tile of
// c, staging 16x16 tiles of a and b through workgroup memory so each element is read from
// storage once per tile instead of once per product.
alias T = f32;

struct Params {
  m: u32,
  n: u32,
  k: u32,
}

const TILE: u32 = 16u;

@group(0) @binding(0) var<storage, read> a: array<T>;
@group(0) @binding(1) var<storage, read> b: array<T>;
@group(0) @binding(2) var<storage, read_write> c: array<T>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> tile_a: array<array<T, 16>, 16>;
var<workgroup> tile_b: array<array<T, 16>, 16>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let row = wg.y * TILE + local.y;
  let col = wg.x * TILE + local.x;
  var acc = T(0);
  let tiles = (params.k + TILE - 1u) / TILE;
  for (var t = 0u; t < tiles; t++) {
    let a_col = t * TILE + local.x;
    let b_row = t * TILE + local.y;
    if (row < params.m && a_col < params.k) {
      tile_a[local.y][local.x] = a[row * params.k + a_col];
    } else {
      tile_a[local.y][local.x] = T(0);
    }
    if (col < params.n && b_row < params.k) {
      tile_b[local.y][local.x] = b[b_row * params.n + col];
    } else {
      tile_b[local.y][local.x] = T(0);
    }
    workgroupBarrier();
    for (var i = 0u; i < TILE; i++) {
      acc += tile_a[local.y][i] * tile_b[i][local.x];
    }
    workgroupBarrier();
  }
  if (row < params.m && col < params.n) {
    c[row * params.n + col] = acc;
  }
}
