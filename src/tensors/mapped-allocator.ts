import type { HostArray } from './dtype.js';
import type { TensorAllocator } from './allocator.js';
import { byteLengthOf, tensorOf, usageOf } from './buffers.js';
import type { Tensor, TensorDescriptor } from './tensor.js';

/** A fresh buffer per tensor, created mapped and filled through its mapped range before unmap. */
export class MappedAllocator implements TensorAllocator {
  readonly mode = 'mapped';
  constructor(private readonly device: GPUDevice) {}

  create(descriptor: TensorDescriptor, data?: HostArray): Tensor {
    const size = byteLengthOf(descriptor);
    const buffer = this.device.createBuffer({
      size,
      usage: usageOf(descriptor),
      mappedAtCreation: data !== undefined,
    });
    if (data) {
      new Uint8Array(buffer.getMappedRange()).set(
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
      buffer.unmap();
    }
    return tensorOf(buffer, descriptor);
  }

  release(tensor: Tensor): void {
    tensor.buffer.destroy();
  }

  dispose(): void {}
}
