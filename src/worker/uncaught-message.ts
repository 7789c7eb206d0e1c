import { isMainThread } from 'node:worker_threads';
import { messageOf } from '../errors.js';

/**
 * A worker's uncaught exception reaches the main thread by structured clone, which keeps an
 * Error's message but turns anything else into a plain object of its own enumerable properties:
 * a DOMException (WebGPU's AbortError, from mapAsync on a destroyed device) arrived as `{}`, and
 * the op's record read "worker crashed: undefined". Before the thread dies, this writes what was
 * thrown, in words, onto the thrown object as its own `message`, which the clone keeps.
 */
export function describeUncaughtExceptions(): void {
  if (isMainThread) throw new Error('describeUncaughtExceptions is for worker threads');
  process.on('uncaughtExceptionMonitor', (error: unknown) => {
    if (typeof error !== 'object' || error === null) return;
    const own = (error as { message?: unknown }).message;
    if (typeof own === 'string' && own.trim() !== '' && error instanceof Error) return;
    try {
      Object.defineProperty(error, 'message', {
        value: messageOf(error),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } catch {
      // A frozen object: the main thread describes what arrives as best it can.
    }
  });
}
