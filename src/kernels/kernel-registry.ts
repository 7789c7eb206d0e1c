import { join, relative } from 'node:path';
import { kernelError, usageError } from '../errors.js';
import { ShaderStage } from '../device/webgpu-globals.js';
import { DTYPE_INFO, type DType } from '../tensors/dtype.js';
import type { BindingKind, KernelSpec } from './kernel-spec.js';
import { readShader, SHADER_DIR, specialize } from './wgsl-source.js';

/** A kernel compiled for one device and dtype: its layout and one pipeline per entry point. */
export interface CompiledKernel {
  readonly spec: KernelSpec;
  readonly dtype: DType;
  readonly layout: GPUBindGroupLayout;
  readonly pipelines: ReadonlyMap<string, GPUComputePipeline>;
}

const BUFFER_TYPE: Record<BindingKind, GPUBufferBindingType> = {
  read: 'read-only-storage',
  'read-write': 'storage',
  uniform: 'uniform',
};

/**
 * Compiles each kernel once per device and dtype and keeps the pipelines. The layout is explicit
 * (not 'auto') so that every entry point of a file shares one bind group, whichever bindings
 * it happens to use.
 */
export class KernelRegistry {
  private readonly compiled = new Map<string, Promise<CompiledKernel>>();

  constructor(
    private readonly device: GPUDevice,
    private readonly shaderDir: string = SHADER_DIR,
  ) {}

  get(spec: KernelSpec, dtype: DType): Promise<CompiledKernel> {
    const key = `${spec.name}:${dtype}`;
    let kernel = this.compiled.get(key);
    if (!kernel) {
      kernel = this.compile(spec, dtype);
      this.compiled.set(key, kernel);
    }
    return kernel;
  }

  private async compile(spec: KernelSpec, dtype: DType): Promise<CompiledKernel> {
    if (!spec.dtypes.includes(dtype)) {
      throw usageError(`kernel '${spec.name}' has no ${dtype} version: it takes ${spec.dtypes.join(', ')}`);
    }
    const feature = DTYPE_INFO[dtype].feature;
    if (feature && !this.device.features.has(feature)) {
      throw usageError(`${dtype} tensors need the '${feature}' feature, which this adapter does not offer`);
    }
    const path = join(this.shaderDir, spec.file);
    const shownPath = relative(process.cwd(), path) || path;
    // The scope keeps a compile error out of the device's uncaptured errors, where the op loop
    // would blame it on the next op; getCompilationInfo() reports it with its position instead.
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({
      label: spec.name,
      code: specialize(readShader(path), dtype),
    });
    const info = await module.getCompilationInfo();
    await this.device.popErrorScope();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      const lines = errors.map((m) => `${shownPath}:${m.lineNum}:${m.linePos}: ${m.message}`);
      throw kernelError(`kernel '${spec.name}' does not compile:\n${lines.join('\n')}`);
    }
    const layout = this.device.createBindGroupLayout({
      label: spec.name,
      entries: spec.bindings.map((b) => ({
        binding: b.binding,
        visibility: ShaderStage.COMPUTE,
        buffer: { type: BUFFER_TYPE[b.kind] },
      })),
    });
    const pipelineLayout = this.device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const entries = new Set(
      spec.plan(1, { maxComputeWorkgroupsPerDimension: 1 }).dispatches.map((d) => d.entry),
    );
    const pipelines = new Map<string, GPUComputePipeline>();
    for (const entry of entries) {
      // Not createComputePipelineAsync: in dawn.node 0.6.2 a worker that used it takes about 100 ms
      // longer to exit, which a fresh worker per op would pay every time. An error scope catches
      // what the async form would have rejected with.
      this.device.pushErrorScope('validation');
      const pipeline = this.device.createComputePipeline({
        label: `${spec.name}.${entry}`,
        layout: pipelineLayout,
        compute: { module, entryPoint: entry },
      });
      const error = await this.device.popErrorScope();
      if (error)
        throw kernelError(
          `kernel '${spec.name}' entry point '${entry}' cannot be built: ${error.message.trim()}`,
        );
      pipelines.set(entry, pipeline);
    }
    return { spec, dtype, layout, pipelines };
  }
}
