import { BufferUsage } from '../device/webgpu-globals.js';
import { paddedByteLength, type HostArray } from './dtype.js';
import { elementCount, type Tensor, type TensorDescriptor } from './tensor.js';

/** Every tensor can be written from the host and copied out for readback; most are storage. */
export function usageOf(descriptor: TensorDescriptor): GPUBufferUsageFlags {
  const binding = descriptor.uniform ? BufferUsage.UNIFORM : BufferUsage.STORAGE;
  return binding | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
}

export function tensorOf(buffer: GPUBuffer, descriptor: TensorDescriptor): Tensor {
  const length = elementCount(descriptor.shape);
  return {
    buffer,
    dtype: descriptor.dtype,
    shape: descriptor.shape,
    length,
    byteLength: paddedByteLength(descriptor.dtype, length),
  };
}

export function byteLengthOf(descriptor: TensorDescriptor): number {
  return paddedByteLength(descriptor.dtype, elementCount(descriptor.shape));
}

/** queue.writeBuffer wants a multiple of 4 bytes; an odd count of f16 elements is padded. */
export function uploadBytes(data: HostArray): ArrayBufferView {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength % 4 === 0) return bytes;
  const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  padded.set(bytes);
  return padded;
}
