#!/usr/bin/env node
/**
 * Row 14a's independent measure of memory: plain copies on the CPU, of the size `wgprof peak`'s
 * largest device copy used. On a software adapter (lavapipe, SwiftShader) the GPU's memory is the
 * CPU's, and its copyBufferToBuffer is a memcpy on one of its threads: this program copies the
 * same bytes the way any Node program would, importing nothing of wgprof and nothing of WebGPU.
 *
 *   node dist/bench/baselines/cpu-copy.js --bytes N --copies N --warmup N
 *
 * prints one JSON line (CpuCopyOutput): the wall time of each timed copy, ns, of each kind.
 * Both buffers are written before the first copy (Buffer.alloc's zeroed pages may not be mapped
 * yet), then `--warmup` untimed copies of each kind; then the timed copies, the two kinds
 * alternating, which first swapping every round, so that a drift of the machine falls on both.
 */
import { parseArgs } from 'node:util';

/** What the program prints: one copy of `bytes` bytes moves `bytes` read and `bytes` written. */
export interface CpuCopyOutput {
  readonly bytes: number;
  /** `src.copy(dst)`, each timed alone, ns. */
  readonly bufferCopyNs: readonly number[];
  /** `dst.set(src)` (TypedArray.prototype.set), each timed alone, ns. */
  readonly typedArraySetNs: readonly number[];
}

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, not ${text}`);
  return value;
}

function timed(copy: () => void): number {
  const start = process.hrtime.bigint();
  copy();
  return Number(process.hrtime.bigint() - start);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      bytes: { type: 'string' },
      copies: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '5' },
    },
  });
  const bytes = positive('bytes', values.bytes);
  const copies = positive('copies', values.copies);
  const warmup = positive('warmup', values.warmup);
  const src = Buffer.alloc(bytes);
  const dst = Buffer.alloc(bytes);
  src.fill(0x5a);
  dst.fill(0xa5);
  const bufferCopy = (): void => {
    src.copy(dst);
  };
  const typedArraySet = (): void => {
    dst.set(src);
  };
  for (let i = 0; i < warmup; i++) {
    bufferCopy();
    typedArraySet();
  }
  const bufferCopyNs: number[] = [];
  const typedArraySetNs: number[] = [];
  for (let i = 0; i < copies; i++) {
    if (i % 2 === 0) {
      bufferCopyNs.push(timed(bufferCopy));
      typedArraySetNs.push(timed(typedArraySet));
    } else {
      typedArraySetNs.push(timed(typedArraySet));
      bufferCopyNs.push(timed(bufferCopy));
    }
  }
  if (dst[bytes - 1] !== 0x5a && bytes > 0) throw new Error('the copy did not copy');
  process.stdout.write(
    `${JSON.stringify({ bytes, bufferCopyNs, typedArraySetNs } satisfies CpuCopyOutput)}\n`,
  );
}

main();
