import type { PlannedConfig } from '../../config/profile-config.js';

/**
 * The op a raw baseline's worker runs between request and answer: wgprof's own op (the same
 * kernel, tensors and device options, through WorkerSession), so that only the handoff differs
 * between the raw round trip and wgprof's. The op matters: on a software GPU, the driver's
 * threads share the cores with the two threads that hand the op over, and waking those threads
 * after an op costs several times a bare ping-pong.
 */
export interface WorkerOp {
  run(): Promise<void>;
  /** Destroys the device; the thread may end after this. */
  close(): Promise<void>;
}

export async function openWorkerOp(config: PlannedConfig): Promise<WorkerOp> {
  // Imported here, as op-worker.ts does: it loads dawn.node.
  const { WorkerSession } = await import('../../worker/worker-session.js');
  const session = await WorkerSession.open(config, process.hrtime.bigint());
  let id = 0;
  return {
    async run() {
      const record = await session.runOp(id++);
      if (record.status !== 'ok')
        throw new Error(`the baseline's op failed: ${record.message ?? record.status}`);
    },
    async close() {
      await session.close();
    },
  };
}
