/* global GPUBufferUsage, GPUMapMode */
// The run behind config/gpu-time.ts's TIMED_BLOCK (2026-12-06, 2-core AMD EPYC VM, lavapipe Mesa
// 25.0.7, Node 20.20.2): a bare dawn.node loop of wgprof's scale op on 1,024 floats, 150 rounds of
// 10 timed ops then 10 untimed ops, then 10 pairs of timed and untimed ops one by one. It prints
// the median total of the untimed ops by their place after the timed block (us), then that of the
// untimed ops alternating one by one. Three runs gave:
//   143.6 137.5 138.6 137.9 137.9 140.6 136.2 138.1 136.7 136.7 | alternating 141.8
//   152.7 144.3 143.1 140.2 143.3 147.4 142.2 143.3 139.3 143.7 | alternating 146.1
//   171.0 164.2 162.2 162.4 162.3 163.3 164.4 163.6 164.2 166.5 | alternating 170.1
// Run: node results/bench/2026-12-06-after-timed.mjs
import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const gpu = create(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
globalThis.keepGpu = gpu;
const adapter = await gpu.requestAdapter();
const device = await adapter.requestDevice({ requiredFeatures: ['timestamp-query'] });
const N = 1024;
const code = `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3u) { if (id.x < ${N}u) { y[id.x] = 2.0 * x[id.x] + 1.0; } }`;
const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
const input = new Float32Array(N).fill(1);
const qs = device.createQuerySet({ type: 'timestamp', count: 4096 });
let slot = 0;
const resolve = device.createBuffer({ size: 4096 * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
const read = device.createBuffer({ size: 4096 * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
async function flush() {
  if (slot === 0) return;
  const e = device.createCommandEncoder(); e.resolveQuerySet(qs, 0, slot * 2, resolve, 0); e.copyBufferToBuffer(resolve, 0, read, 0, slot * 16);
  device.queue.submit([e.finish()]); await read.mapAsync(GPUMapMode.READ, 0, slot * 16); read.unmap(); slot = 0;
}
const now = () => process.hrtime.bigint();
async function op(timed) {
  const t0 = now();
  const x = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const y = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE });
  device.queue.writeBuffer(x, 0, input);
  const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: x } }, { binding: 1, resource: { buffer: y } }] });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass(timed ? { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * slot, endOfPassWriteIndex: 2 * slot + 1 } } : {});
  if (timed) slot++;
  pass.setPipeline(pipeline); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(Math.ceil(N / 256)); pass.end();
  device.queue.submit([enc.finish()]);
  const t1 = now();
  await device.queue.onSubmittedWorkDone();
  const t2 = now();
  x.destroy(); y.destroy();
  return { total: Number(now() - t0), sync: Number(t2 - t1) };
}
const med = (a) => { const s = [...a].sort((p, q) => p - q); return s[s.length >> 1]; };
for (let i = 0; i < 200; i++) await op(i % 2 === 1);
await flush();
const byPos = Array.from({ length: 10 }, () => []);
const alt = [];
for (let r = 0; r < 150; r++) {
  for (let i = 0; i < 10; i++) await op(true);
  for (let i = 0; i < 10; i++) byPos[i].push((await op(false)).total);
  for (let i = 0; i < 10; i++) { await op(true); alt.push((await op(false)).total); }
  if (slot > 1800) await flush();
}
await flush();
console.log(byPos.map((p) => (med(p) / 1e3).toFixed(1)).join(' '), '| alternating', (med(alt) / 1e3).toFixed(1));
device.destroy();
