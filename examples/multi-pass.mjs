// An op written against WebGPU directly, with two compute pipelines and two queue.submit calls
// per op: pass "square" writes y[i] = x[i] * x[i], pass "block-sum" adds each block of 256
// squares into one partial sum (one thread per block). wgprof times each pass by its label.
//
//   wgprof profile --op examples/multi-pass.mjs --op-arg n=65536
//   wgprof profile --op examples/multi-pass.mjs --op-arg n=65536 --op-arg verify=1
//
// --op-arg n=N       number of elements (default 65536)
// --op-arg verify=1  sync also reads the partial sums back and checks them against a CPU reference
//
// Its work() export declares what one op does, so the profile shows its rates.
/* global GPUBufferUsage, GPUMapMode */

const BLOCK = 256; // elements per partial sum
const SQUARE_THREADS = 64; // workgroup size of pass 1 (one thread per element)
const SUM_THREADS = 64; // workgroup size of pass 2 (one thread per partial sum)
// A workgroup tree reduction (barriers) took about 5.6 ms of GPU time on lavapipe for n=65536;
// this sequential loop per thread about 0.1 ms, so the example stays quick on a CPU device.

const SHADER = /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(${SQUARE_THREADS})
fn square(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i < arrayLength(&x)) {
    y[i] = x[i] * x[i];
  }
}

@group(0) @binding(0) var<storage, read> squares: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;

@compute @workgroup_size(${SUM_THREADS})
fn block_sum(@builtin(global_invocation_id) gid: vec3u) {
  let block = gid.x;
  if (block >= arrayLength(&partials)) {
    return;
  }
  let first = block * ${BLOCK}u;
  let last = min(first + ${BLOCK}u, arrayLength(&squares));
  var sum = 0.0;
  for (var i = first; i < last; i = i + 1u) {
    sum = sum + squares[i];
  }
  partials[block] = sum;
}
`;

function positiveInt(text, name) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`multi-pass: --op-arg ${name}=${text} is not a positive integer`);
  }
  return value;
}

/** A fixed pseudo-random sequence in [-1, 1), so every thread and run uploads the same input. */
function makeInput(n) {
  const x = new Float32Array(n);
  let s = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/** The partial sums in float64, from the same float32 inputs (squared in float32, as the GPU does). */
function cpuPartials(x, blocks) {
  const out = new Float64Array(blocks);
  for (let i = 0; i < x.length; i++) out[Math.floor(i / BLOCK)] += Math.fround(x[i] * x[i]);
  return out;
}

export default {
  name: 'multi-pass',

  // What one op does, for its rates (wgprof reports bytes/s and FLOP/s, and their share of the
  // device's measured peak): pass 1 reads x and writes y (n floats each) with one multiply per
  // element; pass 2 reads y and writes a partial sum per block with one add per element.
  work(args) {
    const n = positiveInt(args.n ?? '65536', 'n');
    const blocks = Math.ceil(n / BLOCK);
    return { bytes: 4 * (n + n) + 4 * (n + blocks), flops: n + n };
  },

  setup(ctx) {
    const { device } = ctx;
    const n = positiveInt(ctx.args.n ?? '65536', 'n');
    const blocks = Math.ceil(n / BLOCK);
    const workgroups = Math.ceil(n / SQUARE_THREADS);
    if (workgroups > device.limits.maxComputeWorkgroupsPerDimension) {
      throw new Error(
        `multi-pass: n=${n} needs ${workgroups} workgroups, more than this device's ` +
          `maxComputeWorkgroupsPerDimension (${device.limits.maxComputeWorkgroupsPerDimension})`,
      );
    }
    if (n * 4 > device.limits.maxStorageBufferBindingSize) {
      throw new Error(
        `multi-pass: n=${n} floats do not fit one storage binding ` +
          `(maxStorageBufferBindingSize ${device.limits.maxStorageBufferBindingSize} bytes)`,
      );
    }
    const module = device.createShaderModule({ label: 'multi-pass', code: SHADER });
    const square = device.createComputePipeline({
      label: 'square',
      layout: 'auto',
      compute: { module, entryPoint: 'square' },
    });
    const blockSum = device.createComputePipeline({
      label: 'block-sum',
      layout: 'auto',
      compute: { module, entryPoint: 'block_sum' },
    });
    const input = makeInput(n);
    const verify = ctx.args.verify === '1';
    return {
      device,
      n,
      blocks,
      square,
      blockSum,
      input,
      verify,
      expected: verify ? cpuPartials(input, blocks) : undefined,
      op: undefined,
    };
  },

  create(state) {
    const { device, n, blocks } = state;
    const x = device.createBuffer({
      label: 'x',
      size: n * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(x, 0, state.input);
    const y = device.createBuffer({ label: 'y', size: n * 4, usage: GPUBufferUsage.STORAGE });
    const partials = device.createBuffer({
      label: 'partials',
      size: blocks * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    const staging = state.verify
      ? device.createBuffer({
          label: 'partials-readback',
          size: blocks * 4,
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        })
      : undefined;
    const squareGroup = device.createBindGroup({
      layout: state.square.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: x } },
        { binding: 1, resource: { buffer: y } },
      ],
    });
    const sumGroup = device.createBindGroup({
      layout: state.blockSum.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: y } },
        { binding: 1, resource: { buffer: partials } },
      ],
    });
    state.op = { x, y, partials, staging, squareGroup, sumGroup };
  },

  dispatch(state) {
    const { device, n, blocks, op } = state;
    const first = device.createCommandEncoder({ label: 'multi-pass: square' });
    const pass1 = first.beginComputePass({ label: 'square' });
    pass1.setPipeline(state.square);
    pass1.setBindGroup(0, op.squareGroup);
    pass1.dispatchWorkgroups(Math.ceil(n / SQUARE_THREADS));
    pass1.end();
    device.queue.submit([first.finish()]);

    const second = device.createCommandEncoder({ label: 'multi-pass: block-sum' });
    const pass2 = second.beginComputePass({ label: 'block-sum' });
    pass2.setPipeline(state.blockSum);
    pass2.setBindGroup(0, op.sumGroup);
    pass2.dispatchWorkgroups(Math.ceil(blocks / SUM_THREADS));
    pass2.end();
    if (op.staging) second.copyBufferToBuffer(op.partials, 0, op.staging, 0, blocks * 4);
    device.queue.submit([second.finish()]);
  },

  async sync(state) {
    await state.device.queue.onSubmittedWorkDone();
    const { staging } = state.op;
    if (!staging) return;
    await staging.mapAsync(GPUMapMode.READ);
    const got = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    const expected = state.expected;
    for (let i = 0; i < got.length; i++) {
      // A float32 running sum of 256 squares below 1: within 1e-4 of the block's total.
      const tolerance = 1e-4 * Math.max(1, Math.abs(expected[i]));
      if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
        throw new Error(
          `multi-pass: wrong result: partial sum ${i} of ${got.length} is ${got[i]}, ` +
            `the CPU reference gives ${expected[i]} (tolerance ${tolerance.toExponential(1)})`,
        );
      }
    }
  },

  release(state) {
    const op = state.op;
    if (!op) return;
    op.x.destroy();
    op.y.destroy();
    op.partials.destroy();
    op.staging?.destroy();
    state.op = undefined;
  },

  teardown(state) {
    // Pipelines and the shader module have no destroy(); dropping them is enough.
    state.op = undefined;
  },
};
