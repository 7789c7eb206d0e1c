/**
 * Faults on demand, for the tests that check how a run survives them: WGPROF_INJECT_FAULT=KIND@N
 * makes the Nth op of every worker's life (counting from 1) throw, crash its worker, or hang.
 * Unset, it costs one comparison per op. A crash is thrown from a fresh macrotask, between GPU
 * calls, so that the worker dies with nothing of dawn.node's pending (anything else would take
 * the whole process down, which is not the fault under test).
 */
export type FaultKind = 'throw' | 'crash' | 'hang';

export interface Fault {
  readonly kind: FaultKind;
  readonly at: number;
}

export function parseFault(text: string | undefined): Fault | undefined {
  const match = /^(throw|crash|hang)@(\d+)$/.exec(text ?? '');
  return match ? { kind: match[1] as FaultKind, at: Number(match[2]) } : undefined;
}

const fault = parseFault(process.env.WGPROF_INJECT_FAULT);
let opsSeen = 0;

/** Called before each op a worker runs; acts out the injected fault when its op comes. */
export async function injectFault(): Promise<void> {
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
  }
}
