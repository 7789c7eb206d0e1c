import { globals } from 'webgpu';

/**
 * dawn.node exposes the WebGPU flag namespaces (GPUBufferUsage, ...) on its `globals` object rather
 * than on globalThis; this module hands them out typed, so the rest of the code never touches it.
 */
const g = globals as {
  GPUBufferUsage: typeof GPUBufferUsage;
  GPUMapMode: typeof GPUMapMode;
  GPUShaderStage: typeof GPUShaderStage;
};

export const BufferUsage = g.GPUBufferUsage;
export const MapMode = g.GPUMapMode;
export const ShaderStage = g.GPUShaderStage;
