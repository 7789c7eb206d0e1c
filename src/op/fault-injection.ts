/**
 * Faults on demand, for the tests that check how a run survives them: WGPROF_INJECT_FAULT=KIND@N
 * makes the Nth op of a thread's life (counting from 1; a worker counts its warm-up ops, the
 * main thread's op loop its timed ops) throw, crash its worker, hang, or lose its device.
 * Unset, it costs one boolean test per op (`faultArmed`). A crash is thrown from a fresh macrotask, between GPU
 * calls, so that the worker dies with nothing of dawn.node's pending (anything else would take
 * the whole process down, which is not the fault under test).
 */
export type FaultKind = 'throw' | 'crash' | 'hang' | 'lose';

export interface Fault {
  readonly kind: FaultKind;
  readonly at: number;
}

export function parseFault(text: string | undefined): Fault | undefined {
  const match = /^(throw|crash|hang|lose)@(\d+)$/.exec(text ?? '');
  return match ? { kind: match[1] as FaultKind, at: Number(match[2]) } : undefined;
}

const fault = parseFault(process.env.WGPROF_INJECT_FAULT);
let opsSeen = 0;

/** True only when a fault was asked for: the op loops test this before calling injectFault. */
export const faultArmed = fault !== undefined;

/** Called before an op; acts out the injected fault when its op comes. */
export async function injectFault(device: GPUDevice): Promise<void> {
  if (!fault || ++opsSeen !== fault.at) return;
  switch (fault.kind) {
    case 'throw':
      throw new Error(`injected fault: op ${fault.at} throws`);
    case 'crash':
      setImmediate(() => {
        throw new Error(`injected fault: worker crashes at op ${fault.at}`);
      });
      await new Promise(() => undefined);
      return;
    case 'hang':
      await new Promise(() => undefined);
      return;
    case 'lose':
      // As if the GPU had been taken away (a driver reset, an eGPU unplugged) mid-run.
      device.destroy();
  }
}
