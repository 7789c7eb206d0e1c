/**
 * Bad GPU timestamps on demand, for the tests that check how a run survives them:
 * WGPROF_INJECT_FAULT=timestamps-KIND makes every timestamp read-back (device/timestamp-slots.ts,
 * the one implementation behind wgprof's kernel timer, the op-module instrumentation and the
 * trace) lie the way drivers have: `zero` (every stamp 0, as Metal's counter sample buffers on
 * macOS 26), `reversed` (each pass ends before it begins), `constant` (every pass the same
 * duration, a clock that does not move), `no-query-set` (the query set cannot be made, as a
 * Metal device out of counter sample buffers). The same variable as the op faults
 * (op/fault-injection.ts), which ignore these; read here apart, because the trace's preload
 * must not load dawn.node, which fault-injection.ts does.
 */
export type TimestampFault = 'zero' | 'reversed' | 'constant' | 'no-query-set';

export function parseTimestampFault(text: string | undefined): TimestampFault | undefined {
  const match = /^timestamps-(zero|reversed|constant|no-query-set)$/.exec(text ?? '');
  return match ? (match[1] as TimestampFault) : undefined;
}

export const timestampFault = parseTimestampFault(process.env.WGPROF_INJECT_FAULT);

/** The constant fault's duration: any fixed value does. */
const CONSTANT_NS = 12_345n;

/** Rewrites read-back stamps (begin, end pairs) as the injected fault would have them. */
export function falsifyStamps(stamps: BigUint64Array, fault: TimestampFault | undefined): BigUint64Array {
  if (fault === 'zero') stamps.fill(0n);
  else if (fault === 'reversed')
    for (let i = 0; i + 1 < stamps.length; i += 2) {
      const begin = stamps[i] ?? 0n;
      stamps[i] = stamps[i + 1] ?? 0n;
      stamps[i + 1] = begin;
    }
  else if (fault === 'constant')
    for (let i = 0; i + 1 < stamps.length; i += 2) stamps[i + 1] = (stamps[i] ?? 0n) + CONSTANT_NS;
  return stamps;
}
