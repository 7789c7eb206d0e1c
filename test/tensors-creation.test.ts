import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../src/device/open-device.js';
import { CREATION_MODES, createAllocator } from '../src/tensors/allocator.js';
import { tensorSpec } from '../src/tensors/buffers.js';
import { PooledAllocator } from '../src/tensors/pooled-allocator.js';
import { readTensor } from '../src/tensors/readback.js';
import { DTYPE_INFO, DTYPES } from '../src/tensors/dtype.js';
import { openTestDevice } from './support/device.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await openTestDevice();
});
afterAll(() => ctx.close());

describe('tensor creation modes on the real device', () => {
  for (const mode of CREATION_MODES) {
    for (const dtype of DTYPES) {
      it(`${mode} uploads ${dtype} data that reads back unchanged`, async () => {
        const allocator = createAllocator(mode, ctx.device);
        // 7 elements: an odd f16 count needs padding to 4 bytes.
        const data = DTYPE_INFO[dtype].allocate(7);
        for (let i = 0; i < data.length; i++) data[i] = i * 3 - 4 * Number(dtype !== 'u32');
        const tensor = allocator.create(tensorSpec({ name: 'x', dtype, shape: [7] }, data));
        expect(tensor.length).toBe(7);
        expect(tensor.byteLength % 4).toBe(0);
        const back = await readTensor(ctx.device, tensor);
        expect(Array.from(back)).toEqual(Array.from(data));
        allocator.release(tensor);
        allocator.dispose();
        expect(ctx.errors).toEqual([]);
      });
    }
  }

  it('the pool hands a released buffer back for the next tensor of the same size', () => {
    const pool = new PooledAllocator(ctx.device);
    const first = pool.create(tensorSpec({ name: 'x', dtype: 'f32', shape: [256] }));
    pool.release(first);
    const second = pool.create(tensorSpec({ name: 'x', dtype: 'f32', shape: [256] }));
    expect(second.buffer).toBe(first.buffer);
    // Another size, or a uniform of the same size, needs a buffer of its own.
    const other = pool.create(tensorSpec({ name: 'y', dtype: 'f32', shape: [512] }));
    const uniform = pool.create(tensorSpec({ name: 'p', dtype: 'f32', shape: [256], uniform: true }));
    expect(other.buffer).not.toBe(first.buffer);
    expect(uniform.buffer).not.toBe(first.buffer);
    expect(pool.size).toBe(3);
    pool.release(second);
    for (let i = 0; i < 50; i++)
      pool.release(pool.create(tensorSpec({ name: 'x', dtype: 'f32', shape: [256] })));
    expect(pool.size).toBe(3);
    pool.dispose();
  });

  it('fresh-buffer modes destroy what they release', async () => {
    for (const mode of ['writeBuffer', 'mapped'] as const) {
      const allocator = createAllocator(mode, ctx.device);
      const tensor = allocator.create(
        tensorSpec({ name: 'x', dtype: 'f32', shape: [16] }, new Float32Array(16)),
      );
      allocator.release(tensor);
      // Using a destroyed buffer in a submit is a validation error.
      ctx.device.pushErrorScope('validation');
      const encoder = ctx.device.createCommandEncoder();
      encoder.clearBuffer(tensor.buffer);
      ctx.device.queue.submit([encoder.finish()]);
      expect(await ctx.device.popErrorScope()).not.toBeNull();
    }
  });
});
