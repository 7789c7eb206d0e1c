// noop: one invocation that does nothing. What it costs is the fixed cost of an op: creating its
// tensor, encoding, submitting, and waiting for the GPU to say it is done.
alias T = f32;

@group(0) @binding(0) var<storage, read_write> data: array<T>;

@compute @workgroup_size(1)
fn main() {}
