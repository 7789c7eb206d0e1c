import { BufferUsage, MapMode } from '../device/webgpu-globals.js';
import { viewAs, type HostArray } from './dtype.js';
import type { Tensor } from './tensor.js';

/** Copies a tensor into a mappable buffer and returns its elements as a typed array of its dtype. */
export async function readTensor(device: GPUDevice, tensor: Tensor): Promise<HostArray> {
  const staging = device.createBuffer({
    size: tensor.byteLength,
    usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
  });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(tensor.buffer, 0, staging, 0, tensor.byteLength);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MapMode.READ);
    const copy = staging.getMappedRange().slice(0);
    staging.unmap();
    return viewAs(tensor.dtype, copy, tensor.length);
  } finally {
    staging.destroy();
  }
}
