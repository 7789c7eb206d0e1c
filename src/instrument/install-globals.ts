import { globals } from 'webgpu';
import { instrumentWebGpu, type WebGpuClasses } from './webgpu-instrumentation.js';

/**
 * What a browser gives a page and Node does not: the WebGPU classes and flag namespaces as
 * globals (GPUBufferUsage, ...) and `navigator.gpu`. Installed in a thread before it imports an
 * op module, so that a library written for the browser (TensorFlow.js's WebGPU backend) finds
 * them; `navigator.gpu` is wgprof's own GPU object, opened with the run's flags, so the device
 * the library asks for is one wgprof opened, and instruments. Globals already there are kept.
 */
export function installWebGpuGlobals(gpu: GPU): void {
  instrumentWebGpu(globals as unknown as WebGpuClasses);
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(globals as Record<string, unknown>)) scope[name] ??= value;
  const existing = scope.navigator as object | undefined;
  if (existing) Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true, writable: true });
  else scope.navigator = { gpu };
}
