import type { TensorAllocator } from './allocator.js';
import { tensorOf, type TensorSpec } from './buffers.js';
import type { Tensor } from './tensor.js';

/**
 * A caching allocator, as PyTorch's is: a released buffer goes back to a free list for its byte
 * size and the next tensor of that size reuses it, so steady-state creation costs only the upload.
 */
export class PooledAllocator implements TensorAllocator {
  readonly mode = 'pooled';
  /** Free buffers by usage and byte size: a uniform buffer cannot stand in for a storage one. */
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly owned = new Set<GPUBuffer>();

  constructor(private readonly device: GPUDevice) {}

  create(spec: TensorSpec): Tensor {
    let buffer = this.free.get(poolKey(spec.usage, spec.size))?.pop();
    if (!buffer) {
      buffer = this.device.createBuffer({ size: spec.size, usage: spec.usage });
      this.owned.add(buffer);
    }
    if (spec.upload) this.device.queue.writeBuffer(buffer, 0, spec.upload);
    return tensorOf(buffer, spec);
  }

  release(tensor: Tensor): void {
    const key = poolKey(tensor.buffer.usage, tensor.byteLength);
    const list = this.free.get(key);
    if (list) list.push(tensor.buffer);
    else this.free.set(key, [tensor.buffer]);
  }

  /** Buffers the pool has created, in use or free. */
  get size(): number {
    return this.owned.size;
  }

  dispose(): void {
    for (const buffer of this.owned) buffer.destroy();
    this.owned.clear();
    this.free.clear();
  }
}

function poolKey(usage: number, size: number): string {
  return `${usage}:${size}`;
}
