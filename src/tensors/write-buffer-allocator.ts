import type { HostArray } from './dtype.js';
import type { TensorAllocator } from './allocator.js';
import { byteLengthOf, tensorOf, usageOf, uploadBytes } from './buffers.js';
import type { Tensor, TensorDescriptor } from './tensor.js';

/**
 * A fresh buffer per tensor, filled with queue.writeBuffer. The write only copies into Dawn's
 * staging memory; the transfer itself runs at the next submit, so its cost lands in sync.
 */
export class WriteBufferAllocator implements TensorAllocator {
  readonly mode = 'writeBuffer';
  constructor(private readonly device: GPUDevice) {}

  create(descriptor: TensorDescriptor, data?: HostArray): Tensor {
    const buffer = this.device.createBuffer({ size: byteLengthOf(descriptor), usage: usageOf(descriptor) });
    if (data) this.device.queue.writeBuffer(buffer, 0, uploadBytes(data));
    return tensorOf(buffer, descriptor);
  }

  release(tensor: Tensor): void {
    tensor.buffer.destroy();
  }

  dispose(): void {}
}
