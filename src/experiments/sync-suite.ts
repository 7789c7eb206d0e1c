import type { PlannedConfig } from '../config/profile-config.js';
import type { GpuContext } from '../device/open-device.js';
import { BufferUsage, MapMode } from '../device/webgpu-globals.js';
import { makeHostInputs } from '../kernels/host-inputs.js';
import { KernelRegistry, type CompiledKernel } from '../kernels/kernel-registry.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import { compileOp } from '../op/compile-op.js';
import { builtinConfig, withPlan } from '../op/preflight.js';
import { createTensors, planAllocations } from '../op/op-tensors.js';
import { PassRecipe } from '../op/pass-recipe.js';
import { createAllocator } from '../tensors/allocator.js';
import type { Tensor } from '../tensors/tensor.js';
import type { Experiment } from './experiment.js';

/** Buffer sizes of the completion sweep: 4 KiB to 64 MiB, by factors of 4. */
export const SWEEP_BYTES = [4, 16, 64, 256, 1024, 4096, 16384, 65536].map((k) => k * 1024);
/** Kernel dispatches per sync in the batching experiment. */
export const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64];
export const COMPLETION_METHODS = ['onSubmittedWorkDone', 'mapAsync', 'both'] as const;
export type CompletionMethod = (typeof COMPLETION_METHODS)[number];

export interface SyncSuite {
  readonly floor: Experiment[];
  readonly completion: (Experiment & { readonly bytes: number; readonly method: CompletionMethod })[];
  readonly batching: (Experiment & { readonly k: number })[];
  dispose(): void;
}

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * The sync experiments, on the main thread with a warm device: the floor (an empty submit, and a
 * trivial kernel, then onSubmittedWorkDone); completion by onSubmittedWorkDone, by mapAsync and by
 * both, over buffer sizes; and k dispatches of the kernel per sync, for the line fit.
 */
export async function syncSuite(gpu: GpuContext, config: PlannedConfig): Promise<SyncSuite> {
  const { device } = gpu;
  const queue = device.queue;
  const { kernel, plan } = await compileOp(device, KernelRegistry.forDevice(device), config);
  const noopConfig = await withPlan(gpu, builtinConfig(config, 'noop', 1));
  const { kernel: noop, plan: noopPlan } = await compileOp(
    device,
    KernelRegistry.forDevice(device),
    noopConfig,
  );
  const allocator = createAllocator('pooled', device);
  const bind = (
    k: CompiledKernel,
    p: KernelPlan,
  ): { pass: PassRecipe; group: GPUBindGroup; tensors: Tensor[] } => {
    const tensors = createTensors(allocator, planAllocations(p, makeHostInputs(p)));
    const pass = new PassRecipe(device, k, p);
    return { pass, group: pass.bind(tensors), tensors };
  };
  const kernelBinding = bind(kernel, plan);
  const noopBinding = bind(noop, noopPlan);

  const floor: Experiment[] = [
    {
      id: 'floor.empty',
      label: 'empty submit + onSubmittedWorkDone',
      where: 'main',
      run: async () => {
        const start = process.hrtime.bigint();
        queue.submit([]);
        await queue.onSubmittedWorkDone();
        return elapsed(start);
      },
    },
    {
      id: 'floor.noop',
      label: 'noop kernel + onSubmittedWorkDone',
      where: 'main',
      run: async () => {
        const start = process.hrtime.bigint();
        queue.submit([noopBinding.pass.encode(noopBinding.group)]);
        await queue.onSubmittedWorkDone();
        return elapsed(start);
      },
    },
  ];

  const buffers: GPUBuffer[] = [];
  const sizes = SWEEP_BYTES.filter((b) => b <= device.limits.maxBufferSize);
  const completion = sizes.flatMap((bytes) => {
    const source = device.createBuffer({
      size: bytes,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    const target = device.createBuffer({ size: bytes, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
    const staging = device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    buffers.push(source, target, staging);
    const copy = (to: GPUBuffer): GPUCommandBuffer => {
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, 0, to, 0, bytes);
      return encoder.finish();
    };
    return COMPLETION_METHODS.map((method) => ({
      id: `completion.${method}.${bytes}`,
      label: `copy ${bytes} B, wait by ${method}`,
      where: 'main' as const,
      bytes,
      method,
      run: async () => {
        const start = process.hrtime.bigint();
        if (method === 'onSubmittedWorkDone') {
          queue.submit([copy(target)]);
          await queue.onSubmittedWorkDone();
          return elapsed(start);
        }
        queue.submit([copy(staging)]);
        if (method === 'both') await queue.onSubmittedWorkDone();
        await staging.mapAsync(MapMode.READ);
        const ns = elapsed(start);
        staging.unmap();
        return ns;
      },
    }));
  });

  const batching = BATCH_SIZES.map((k) => ({
    id: `batch.${k}`,
    label: `${k} x ${config.kernel} per sync`,
    where: 'main' as const,
    k,
    run: async () => {
      const start = process.hrtime.bigint();
      queue.submit([kernelBinding.pass.encode(kernelBinding.group, undefined, k)]);
      await queue.onSubmittedWorkDone();
      return elapsed(start);
    },
  }));

  return {
    floor,
    completion,
    batching,
    dispose: () => {
      for (const t of [...kernelBinding.tensors, ...noopBinding.tensors]) allocator.release(t);
      allocator.dispose();
      for (const b of buffers) b.destroy();
    },
  };
}
