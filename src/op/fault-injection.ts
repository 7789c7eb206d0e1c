import { isMainThread } from 'node:worker_threads';
import { BufferUsage } from '../device/webgpu-globals.js';
import { markFaultFired, type FaultShare } from './fault-flag.js';

/**
 * Faults on demand, for the tests that check how a run survives them: WGPROF_INJECT_FAULT=KIND@N
 * makes the Nth op of a thread's life (counting from 1; a worker counts its warm-up ops, the
 * main thread's op loop its timed ops) throw, crash its worker, hang, lose its device, submit
 * a kernel that never finishes ahead of the op (gpu-hang), so that the op never completes, or
 * block its thread for good (block), as a GPU call that never returns would, so that no watchdog
 * of that thread can answer, only the thread that sent it the op. On the main thread, where
 * nothing could then end the measuring process, block hangs instead.
 * It fires once in a thread's life; a worker that a strategy starts after it fired, to replace
 * one that died or hung, never fires it (op/fault-flag.ts), so that one fault is one failure and
 * the rest of the run is measured. A fresh worker per op is no replacement: @1 fires in each.
 * Unset, it costs one boolean test per op (`faultArmed`). A crash is thrown from a fresh macrotask, between GPU
 * calls, so that the worker dies with nothing of dawn.node's pending (anything else would take
 * the whole process down, which is not the fault under test).
 */
export type FaultKind = 'throw' | 'crash' | 'hang' | 'lose' | 'gpu-hang' | 'block';

export interface Fault {
  readonly kind: FaultKind;
  readonly at: number;
}

export function parseFault(text: string | undefined): Fault | undefined {
  const match = /^(throw|crash|hang|lose|gpu-hang|block)@(\d+)$/.exec(text ?? '');
  return match ? { kind: match[1] as FaultKind, at: Number(match[2]) } : undefined;
}

const fault = parseFault(process.env.WGPROF_INJECT_FAULT);
let opsSeen = 0;
/** What this worker's strategy told it: the flag to set when the fault fires, and whether it had been set. */
let share: FaultShare | undefined;

/** True only when a fault was asked for: the op loops test this before calling injectFault. */
export const faultArmed = fault !== undefined;

/** Called in a worker, before its first op, with what its strategy tells it of the fault. */
export function shareFault(given: FaultShare | undefined): void {
  share = given;
}

/** Called before an op; acts out the injected fault when its op comes. */
export async function injectFault(device: GPUDevice): Promise<void> {
  if (!fault || share?.firedBefore === true || ++opsSeen !== fault.at) return;
  if (share) markFaultFired(share.flag);
  switch (fault.kind) {
    case 'throw':
      throw new Error(`injected fault: op ${fault.at} throws`);
    case 'crash':
      setImmediate(() => {
        throw new Error(`injected fault: its thread crashes at op ${fault.at}`);
      });
      await new Promise(() => undefined);
      return;
    case 'block':
      // Atomics.wait on memory nobody notifies: the thread's event loop never turns again.
      if (!isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      await new Promise(() => undefined);
      return;
    case 'hang':
      await new Promise(() => undefined);
      return;
    case 'lose':
      // As if the GPU had been taken away (a driver reset, an eGPU unplugged) mid-run; awaiting
      // the loss lets the op runner see it by the op's end, every time.
      device.destroy();
      await device.lost;
      return;
    case 'gpu-hang':
      submitEndlessKernel(device);
  }
}

/**
 * 2^64 iterations of a dependent multiply-add, each stored so that the compiler can neither drop
 * the loop nor assume it ends (a side-effect-free endless loop is undefined behaviour to LLVM, and
 * crashed lavapipe when tried). No GPU finishes it; a desktop GPU's watchdog would reset instead.
 */
const ENDLESS_WGSL = `
@group(0) @binding(0) var<storage, read_write> state: array<u32>;
@compute @workgroup_size(1)
fn main() {
  var x = state[0];
  for (var i = 0u; i < 0xffffffffu; i++) {
    for (var j = 0u; j < 0xffffffffu; j++) {
      x = x * 1664525u + 1013904223u;
      state[1] = x;
    }
  }
}`;

function submitEndlessKernel(device: GPUDevice): void {
  const module = device.createShaderModule({ code: ENDLESS_WGSL });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const state = device.createBuffer({ size: 8, usage: BufferUsage.STORAGE });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: state } }],
    }),
  );
  pass.dispatchWorkgroups(1);
  pass.end();
  device.queue.submit([encoder.finish()]);
}
