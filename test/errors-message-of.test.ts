import { describe, expect, it } from 'vitest';
import { messageOf } from '../src/errors.js';

/** What every record and one-line report says of a thing thrown: never empty, never "undefined". */
describe('messageOf', () => {
  it('gives an error its own message', () => {
    expect(messageOf(new Error('op 3 refused'))).toBe('op 3 refused');
    expect(messageOf(new TypeError('x is not a function'))).toBe('x is not a function');
  });

  it("names WebGPU's empty-handed rejections and says what they mean", () => {
    const means =
      'WebGPU rejects mapAsync and its other promises this way once their device is lost or destroyed';
    expect(messageOf(new DOMException('', 'AbortError'))).toBe(`AbortError with no message (${means})`);
    expect(messageOf(new DOMException('', 'OperationError'))).toBe(
      `OperationError with no message (${means})`,
    );
    expect(messageOf(new RangeError(''))).toBe('RangeError with no message');
  });

  it('reads a DOMException that crossed from a worker as a plain object', () => {
    expect(messageOf({ name: 'AbortError', message: 'described in the worker' })).toBe(
      'described in the worker',
    );
    expect(messageOf({ name: 'AbortError' })).toMatch(/^AbortError with no message \(/);
    expect(messageOf({})).toBe('an object with no name or message was thrown');
  });

  it('describes what is not an error', () => {
    expect(messageOf(undefined)).toBe('undefined was thrown, not an Error');
    expect(messageOf(null)).toBe('null was thrown, not an Error');
    expect(messageOf(42)).toBe('42 was thrown, not an Error');
    expect(messageOf('plain words')).toBe('plain words');
    expect(messageOf(' ')).toBe('an empty string was thrown');
  });
});
