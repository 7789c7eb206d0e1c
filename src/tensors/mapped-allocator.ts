import type { TensorAllocator } from './allocator.js';
import { tensorOf, type TensorSpec } from './buffers.js';
import type { Tensor } from './tensor.js';

/** A fresh buffer per tensor, created mapped and filled through its mapped range before unmap. */
export class MappedAllocator implements TensorAllocator {
  readonly mode = 'mapped';
  constructor(private readonly device: GPUDevice) {}

  create(spec: TensorSpec): Tensor {
    const { upload } = spec;
    const buffer = this.device.createBuffer({
      size: spec.size,
      usage: spec.usage,
      mappedAtCreation: upload !== undefined,
    });
    if (upload) {
      new Uint8Array(buffer.getMappedRange()).set(upload);
      buffer.unmap();
    }
    return tensorOf(buffer, spec);
  }

  release(tensor: Tensor): void {
    tensor.buffer.destroy();
  }

  dispose(): void {}
}
