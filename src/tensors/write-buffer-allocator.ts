import type { TensorAllocator } from './allocator.js';
import { tensorOf, type TensorSpec } from './buffers.js';
import type { Tensor } from './tensor.js';

/**
 * A fresh buffer per tensor, filled with queue.writeBuffer. The write only copies into Dawn's
 * staging memory; the transfer itself runs at the next submit, so its cost lands in sync.
 */
export class WriteBufferAllocator implements TensorAllocator {
  readonly mode = 'writeBuffer';
  constructor(private readonly device: GPUDevice) {}

  create(spec: TensorSpec): Tensor {
    const buffer = this.device.createBuffer({ size: spec.size, usage: spec.usage });
    if (spec.upload) this.device.queue.writeBuffer(buffer, 0, spec.upload);
    return tensorOf(buffer, spec);
  }

  release(tensor: Tensor): void {
    tensor.buffer.destroy();
  }

  dispose(): void {}
}
