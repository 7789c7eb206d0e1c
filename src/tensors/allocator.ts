import { usageError } from '../errors.js';
import type { TensorSpec } from './buffers.js';
import type { Tensor } from './tensor.js';
import { MappedAllocator } from './mapped-allocator.js';
import { PooledAllocator } from './pooled-allocator.js';
import { WriteBufferAllocator } from './write-buffer-allocator.js';

/**
 * How an op's tensors come to be: this is what the creation phase measures. Each mode is one
 * file; they differ only in how a buffer is obtained and filled, and what release() does.
 */
export interface TensorAllocator {
  readonly mode: CreationMode;
  /** A new tensor; with an upload in `spec`, its contents are uploaded before it is returned. */
  create(spec: TensorSpec): Tensor;
  /** The op is done with it: destroy it, or return it to a pool. */
  release(tensor: Tensor): void;
  /** Frees everything the allocator still holds. */
  dispose(): void;
}

export const CREATION_MODES = ['writeBuffer', 'mapped', 'pooled'] as const;
export type CreationMode = (typeof CREATION_MODES)[number];

export function createAllocator(mode: CreationMode, device: GPUDevice): TensorAllocator {
  switch (mode) {
    case 'writeBuffer':
      return new WriteBufferAllocator(device);
    case 'mapped':
      return new MappedAllocator(device);
    case 'pooled':
      return new PooledAllocator(device);
  }
}

export function parseCreationMode(text: string): CreationMode {
  if (!(CREATION_MODES as readonly string[]).includes(text)) {
    throw usageError(`unknown creation mode '${text}': choose one of ${CREATION_MODES.join(', ')}`);
  }
  return text as CreationMode;
}
