import { BufferUsage } from '../device/webgpu-globals.js';
import { paddedByteLength, type HostArray } from './dtype.js';
import { elementCount, type Tensor, type TensorDescriptor } from './tensor.js';

/** Every tensor can be written from the host and copied out for readback; most are storage. */
function usageOf(descriptor: TensorDescriptor): GPUBufferUsageFlags {
  const binding = descriptor.uniform ? BufferUsage.UNIFORM : BufferUsage.STORAGE;
  return binding | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;
}

/**
 * A tensor to create, with everything about it worked out beforehand: its buffer's size and
 * usage, and its upload as the bytes `writeBuffer` takes. An op makes its specs once, so that the
 * timed creation phase makes only the calls a hand-written driver would (createBuffer and the
 * upload): with that bookkeeping done per op, main's creation of a 1K scale op measured 32% above
 * the bare program's in bench row 7a, and 11% once it was done here.
 */
export interface TensorSpec {
  readonly descriptor: TensorDescriptor;
  readonly size: number;
  readonly usage: GPUBufferUsageFlags;
  /** The data to upload, padded to a multiple of 4 bytes; absent for outputs and scratch. */
  readonly upload: Uint8Array | undefined;
  readonly length: number;
}

export function tensorSpec(descriptor: TensorDescriptor, data?: HostArray): TensorSpec {
  return {
    descriptor,
    size: byteLengthOf(descriptor),
    usage: usageOf(descriptor),
    upload: data ? uploadBytes(data) : undefined,
    length: elementCount(descriptor.shape),
  };
}

export function tensorOf(buffer: GPUBuffer, spec: TensorSpec): Tensor {
  return {
    buffer,
    dtype: spec.descriptor.dtype,
    shape: spec.descriptor.shape,
    length: spec.length,
    byteLength: spec.size,
  };
}

function byteLengthOf(descriptor: TensorDescriptor): number {
  return paddedByteLength(descriptor.dtype, elementCount(descriptor.shape));
}

/** queue.writeBuffer wants a multiple of 4 bytes; an odd count of f16 elements is padded. */
function uploadBytes(data: HostArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength % 4 === 0) return bytes;
  const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  padded.set(bytes);
  return padded;
}
