import type { CompiledKernel } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import type { Tensor } from '../tensors/tensor.js';

/** One dispatch of the pass, its pipeline looked up beforehand. */
interface Step {
  readonly pipeline: GPUComputePipeline;
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/**
 * How a plan's kernel phase binds its tensors and records its pass, worked out once: binding
 * numbers, pipelines and workgroup counts are looked up when the op is opened, so that the timed
 * kernel phase makes only the calls a hand-written driver would (bind group, encoder, pass,
 * submit) and none of wgprof's lookups (bench row 7a measures the difference).
 */
export class PassRecipe {
  private readonly bindings: readonly number[];
  private readonly steps: readonly Step[];

  constructor(
    private readonly device: GPUDevice,
    private readonly kernel: CompiledKernel,
    plan: KernelPlan,
  ) {
    this.bindings = plan.tensors.map((t) => t.binding);
    this.steps = plan.dispatches.map((d) => {
      const pipeline = kernel.pipelines.get(d.entry);
      if (!pipeline)
        throw new Error(`kernel '${kernel.source.name}' has no compiled entry point '${d.entry}'`);
      return { pipeline, x: d.workgroups[0], y: d.workgroups[1], z: d.workgroups[2] };
    });
  }

  /** Binds `tensors` (in plan order) at the plan's binding numbers. */
  bind(tensors: readonly Tensor[]): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = [];
    for (let k = 0; k < tensors.length; k++) {
      entries.push({ binding: this.bindings[k] ?? k, resource: { buffer: (tensors[k] as Tensor).buffer } });
    }
    return this.device.createBindGroup({ layout: this.kernel.layout, entries });
  }

  /** Records the plan's dispatches, `repeat` times over, in one compute pass. */
  encode(
    bindGroup: GPUBindGroup,
    timestampWrites?: GPUComputePassTimestampWrites,
    repeat = 1,
  ): GPUCommandBuffer {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
    for (let r = 0; r < repeat; r++) {
      for (const step of this.steps) {
        pass.setPipeline(step.pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(step.x, step.y, step.z);
      }
    }
    pass.end();
    return encoder.finish();
  }

  /** The op's kernel phase: bind, record one pass, submit. */
  submit(tensors: readonly Tensor[], timestampWrites?: GPUComputePassTimestampWrites): void {
    this.device.queue.submit([this.encode(this.bind(tensors), timestampWrites)]);
  }
}
