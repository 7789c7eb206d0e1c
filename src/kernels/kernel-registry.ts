import { kernelError, usageError } from '../errors.js';
import { ShaderStage } from '../device/webgpu-globals.js';
import type { DType } from '../tensors/dtype.js';
import type { KernelPlan, PlannedTensor } from './kernel-plan.js';
import { kernelCode, kernelDTypes, type KernelSource } from './kernel-source.js';

/** A kernel compiled for one device and dtype: its layout and a pipeline per entry point it runs. */
export interface CompiledKernel {
  readonly source: KernelSource;
  readonly dtype: DType;
  readonly layout: GPUBindGroupLayout;
  readonly pipelines: ReadonlyMap<string, GPUComputePipeline>;
}

const BUFFER_TYPE: Record<PlannedTensor['access'], GPUBufferBindingType> = {
  read: 'read-only-storage',
  'read-write': 'storage',
  uniform: 'uniform',
};

/**
 * Compiles each kernel once per device and dtype and keeps the pipelines. The layout comes from
 * the plan (every binding the file declares, explicit rather than 'auto'), so that every entry
 * point of a file shares one bind group, whichever bindings it happens to use. Workers compile
 * from the plan the measuring process made; they never parse the WGSL themselves.
 */
export class KernelRegistry {
  private static readonly byDevice = new WeakMap<GPUDevice, KernelRegistry>();

  /**
   * The device's one registry: the measuring process's preflight, the main strategy and the
   * experiments share what was compiled on its device instead of compiling it again.
   */
  static forDevice(device: GPUDevice): KernelRegistry {
    let registry = KernelRegistry.byDevice.get(device);
    if (!registry) {
      registry = new KernelRegistry(device);
      KernelRegistry.byDevice.set(device, registry);
    }
    return registry;
  }

  private readonly modules = new Map<string, Promise<GPUShaderModule>>();
  private readonly compiled = new Map<string, Promise<CompiledKernel>>();

  constructor(private readonly device: GPUDevice) {}

  /** The shader module, compiled once; Dawn's errors come with their line and column. */
  module(source: KernelSource, dtype: DType): Promise<GPUShaderModule> {
    const key = `${source.path}:${dtype}`;
    let module = this.modules.get(key);
    if (!module) {
      module = this.compileModule(source, dtype);
      this.modules.set(key, module);
    }
    return module;
  }

  /** The layout and pipelines for the plan; they depend on its file, dtype and entry points only. */
  get(source: KernelSource, dtype: DType, plan: KernelPlan): Promise<CompiledKernel> {
    const entries = [...new Set(plan.dispatches.map((d) => d.entry))];
    const key = `${source.path}:${dtype}:${entries.join(',')}`;
    let kernel = this.compiled.get(key);
    if (!kernel) {
      kernel = this.compile(source, dtype, plan, entries);
      this.compiled.set(key, kernel);
    }
    return kernel;
  }

  private async compile(
    source: KernelSource,
    dtype: DType,
    plan: KernelPlan,
    entries: readonly string[],
  ): Promise<CompiledKernel> {
    const module = await this.module(source, dtype);
    const layout = this.device.createBindGroupLayout({
      label: source.name,
      entries: plan.tensors.map((t) => ({
        binding: t.binding,
        visibility: ShaderStage.COMPUTE,
        buffer: { type: BUFFER_TYPE[t.access] },
      })),
    });
    const pipelineLayout = this.device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const pipelines = new Map<string, GPUComputePipeline>();
    for (const name of entries) {
      // Not createComputePipelineAsync: in dawn.node 0.6.2 a worker that used it takes about 100 ms
      // longer to exit, which a fresh worker per op would pay every time. An error scope catches
      // what the async form would have rejected with.
      this.device.pushErrorScope('validation');
      const pipeline = this.device.createComputePipeline({
        label: `${source.name}.${name}`,
        layout: pipelineLayout,
        compute: { module, entryPoint: name },
      });
      const error = await this.device.popErrorScope();
      if (error) {
        throw kernelError(
          `kernel '${source.name}' entry point '${name}' cannot be built: ${error.message.trim()}`,
        );
      }
      pipelines.set(name, pipeline);
    }
    return { source, dtype, layout, pipelines };
  }

  private async compileModule(source: KernelSource, dtype: DType): Promise<GPUShaderModule> {
    const dtypes = kernelDTypes(source);
    if (!dtypes.includes(dtype)) {
      throw usageError(`kernel '${source.name}' has no ${dtype} version: it takes ${dtypes.join(', ')}`);
    }
    if (dtype === 'f16' && !this.device.features.has('shader-f16')) {
      throw usageError("f16 tensors need the 'shader-f16' feature, which this adapter does not offer");
    }
    // The scope keeps a compile error out of the device's uncaptured errors, where the op loop
    // would blame it on the next op; getCompilationInfo() reports it with its position instead.
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label: source.name, code: kernelCode(source, dtype) });
    const info = await module.getCompilationInfo();
    await this.device.popErrorScope();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      const lines = errors.map((m) => `${source.shownPath}:${m.lineNum}:${m.linePos}: ${m.message}`);
      throw kernelError(`kernel '${source.name}' does not compile:\n${lines.join('\n')}`);
    }
    return module;
  }
}
