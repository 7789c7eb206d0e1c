import { BufferUsage } from '../device/webgpu-globals.js';
import type { OpModule, OpModuleContext } from '../op/op-module.js';

/**
 * The op module of the bench's instrumentation row (rows/instrumentation.ts): an op written
 * against WebGPU as a user's would be, that does as little as an op can on the GPU, so that
 * what the instrumentation adds is not buried under the op's own work. Per op: create makes one
 * 256-byte storage buffer and its bind group; dispatch encodes `passes` compute passes (op-arg
 * `passes`, default 1), each one dispatchWorkgroups(1) of a kernel that writes one word, and
 * submits them in one queue.submit; sync awaits the queue; release destroys the buffer. With
 * op-arg `timestamps=own` each pass writes timestampWrites of its own (never read back), as an
 * op that times its passes itself would: the bench's measure of what the driver's timestamp
 * writes cost without wgprof's patches.
 */

const KERNEL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(1)
fn main() {
  out[0] = out[0] + 1u;
}
`;

interface PassesState {
  readonly device: GPUDevice;
  readonly pipeline: GPUComputePipeline;
  readonly passes: number;
  /** With timestamps=own: the query set the passes write to, two queries a pass, reused every op. */
  readonly querySet: GPUQuerySet | undefined;
  buffer: GPUBuffer | undefined;
  group: GPUBindGroup | undefined;
}

function passCount(text: string | undefined): number {
  const passes = Number(text ?? '1');
  if (!Number.isSafeInteger(passes) || passes < 1)
    throw new Error(`passes-op: --op-arg passes=${text} is not a positive integer`);
  return passes;
}

const passesOp: OpModule = {
  name: 'bench-passes',

  setup(ctx: OpModuleContext): PassesState {
    const { device } = ctx;
    const module = device.createShaderModule({ label: 'bench-passes', code: KERNEL });
    const pipeline = device.createComputePipeline({
      label: 'bench-pass',
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const passes = passCount(ctx.args.passes);
    const own = ctx.args.timestamps === 'own';
    if (own && !device.features.has('timestamp-query'))
      throw new Error('passes-op: timestamps=own needs a device with timestamp-query');
    const querySet = own ? device.createQuerySet({ type: 'timestamp', count: 2 * passes }) : undefined;
    return { device, pipeline, passes, querySet, buffer: undefined, group: undefined };
  },

  create(state: PassesState): void {
    const buffer = state.device.createBuffer({ size: 256, usage: BufferUsage.STORAGE });
    state.buffer = buffer;
    state.group = state.device.createBindGroup({
      layout: state.pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer } }],
    });
  },

  dispatch(state: PassesState): void {
    const { device, pipeline, group, querySet } = state;
    if (!group) throw new Error('passes-op: dispatch before create');
    const encoder = device.createCommandEncoder();
    for (let p = 0; p < state.passes; p++) {
      const pass = encoder.beginComputePass(
        querySet
          ? {
              timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * p, endOfPassWriteIndex: 2 * p + 1 },
            }
          : undefined,
      );
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(1);
      pass.end();
    }
    device.queue.submit([encoder.finish()]);
  },

  sync(state: PassesState): Promise<undefined> {
    return state.device.queue.onSubmittedWorkDone();
  },

  release(state: PassesState): void {
    state.buffer?.destroy();
    state.buffer = undefined;
    state.group = undefined;
  },

  teardown(state: PassesState): void {
    state.querySet?.destroy();
  },
};

export default passesOp;
