import type { KernelOp } from '../../src/op/kernel-op.js';
import type { HostArray } from '../../src/tensors/dtype.js';

/** One op run phase by phase, as the op runner runs it, returning what it read back. */
export async function runForResult(op: KernelOp): Promise<HostArray> {
  try {
    op.create();
    op.dispatch(undefined);
    await op.sync();
    return await op.readBack();
  } finally {
    op.release();
  }
}
