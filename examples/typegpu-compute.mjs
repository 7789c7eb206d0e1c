// TypeGPU on wgprof's own device (tgpu.initFromDevice): one compute pass per op, out[i] =
// in[i] * scale + offset, written as a WGSL-bodied tgpu.computeFn over a typed bind group layout.
// (TypeGPU's JS-bodied 'use gpu' functions need its build plugin, unplugin-typegpu, to become WGSL;
// a plain .mjs file run by Node has no build step, so the body here is WGSL.)
//
//   wgprof profile --op examples/typegpu-compute.mjs --op-arg n=65536
//   wgprof profile --op examples/typegpu-compute.mjs --op-arg n=65536 --op-arg verify=1
//
// --op-arg n=N       number of elements (default 65536)
// --op-arg verify=1  sync also reads the output back and checks it against a CPU reference
import tgpu from 'typegpu';
import * as d from 'typegpu/data';

const WORKGROUP = 64;
const SCALE = 1.5;
const OFFSET = 0.25;

const Params = d.struct({ scale: d.f32, offset: d.f32 }).$name('Params');

const layout = tgpu
  .bindGroupLayout({
    input: { storage: d.arrayOf(d.f32), access: 'readonly' },
    output: { storage: d.arrayOf(d.f32), access: 'mutable' },
    params: { uniform: Params },
  })
  .$name('scale-add');

const scaleAdd = tgpu.computeFn({ in: { gid: d.builtin.globalInvocationId }, workgroupSize: [WORKGROUP] })`{
    let i = in.gid.x;
    if (i < arrayLength(&layout.$.input)) {
      layout.$.output[i] = layout.$.input[i] * layout.$.params.scale + layout.$.params.offset;
    }
  }`
  .$uses({ layout })
  .$name('scale-add');

function positiveInt(text, name) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`typegpu-compute: --op-arg ${name}=${text} is not a positive integer`);
  }
  return value;
}

/** A fixed pseudo-random sequence in [-1, 1), the same in every thread and run. */
function makeInput(n) {
  const x = new Float32Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

export default {
  name: 'typegpu-compute',

  setup(ctx) {
    const n = positiveInt(ctx.args.n ?? '65536', 'n');
    const workgroups = Math.ceil(n / WORKGROUP);
    if (workgroups > ctx.device.limits.maxComputeWorkgroupsPerDimension) {
      throw new Error(
        `typegpu-compute: n=${n} needs ${workgroups} workgroups, more than this device's ` +
          `maxComputeWorkgroupsPerDimension (${ctx.device.limits.maxComputeWorkgroupsPerDimension})`,
      );
    }
    // Not tgpu.init(): that asks navigator.gpu for a new device (its `device` option is a
    // GPUDeviceDescriptor). initFromDevice wraps ctx.device, and root.destroy() leaves it open.
    const root = tgpu.initFromDevice({ device: ctx.device });
    const pipeline = root.createComputePipeline({ compute: scaleAdd }).$name('scale-add');
    pipeline.initSync(); // compile now, in setup, rather than in the first op's dispatch
    const params = root
      .createBuffer(Params, { scale: SCALE, offset: OFFSET })
      .$usage('uniform')
      .$name('params');
    void params.buffer; // TypeGPU creates GPU buffers on first use: make this one now
    const input = makeInput(n);
    const verify = ctx.args.verify === '1';
    return {
      root,
      pipeline,
      params,
      n,
      workgroups,
      schema: d.arrayOf(d.f32, n),
      input,
      verify,
      expected: verify ? input.map((v) => Math.fround(v * SCALE) + OFFSET) : undefined,
      op: undefined,
    };
  },

  create(state) {
    const { root } = state;
    // TypeGPU makes the GPUBuffer and GPUBindGroup behind its objects on first use, which would
    // be in dispatch: `.buffer` and root.unwrap() make them here, in creation, where they belong.
    // write() copies into TypeGPU's host-side mirror of the buffer, then calls queue.writeBuffer.
    const input = root.createBuffer(state.schema).$usage('storage').$name('input');
    input.write(state.input);
    const output = root.createBuffer(state.schema).$usage('storage').$name('output');
    void output.buffer;
    const group = root.createBindGroup(layout, { input, output, params: state.params });
    root.unwrap(group);
    state.op = { input, output, group };
  },

  dispatch(state) {
    // Without an encoder of ours, TypeGPU records one pass (labelled with the pipeline's name)
    // in its own command encoder and submits it.
    state.pipeline.with(state.op.group).dispatchWorkgroups(state.workgroups);
  },

  async sync(state) {
    await state.root.device.queue.onSubmittedWorkDone();
    if (!state.verify) return;
    // read() copies into a staging buffer of its own, submits, maps and destroys it.
    const got = await state.op.output.read();
    const expected = state.expected;
    if (got.length !== expected.length) {
      throw new Error(`typegpu-compute: read back ${got.length} values, expected ${expected.length}`);
    }
    for (let i = 0; i < got.length; i++) {
      const tolerance = 1e-6 * Math.max(1, Math.abs(expected[i]));
      if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
        throw new Error(
          `typegpu-compute: wrong result: out[${i}] is ${got[i]}, the CPU reference gives ` +
            `${expected[i]} (tolerance ${tolerance.toExponential(1)})`,
        );
      }
    }
  },

  release(state) {
    const op = state.op;
    if (!op) return;
    op.input.destroy();
    op.output.destroy();
    state.op = undefined;
  },

  teardown(state) {
    // root.destroy() (0.12.5) destroys only a device it opened itself, not the buffers made
    // through it, whatever its doc comment says: destroy the uniform here.
    state.params.destroy();
    state.root.destroy();
  },
};
