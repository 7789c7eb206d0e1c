import { describe, expect, it } from 'vitest';
import { OpRecorder } from '../src/instrument/op-recorder.js';
import {
  instrumentWebGpu,
  setActiveRecorder,
  type WebGpuClasses,
} from '../src/instrument/webgpu-instrumentation.js';

/** Stand-ins for a `webgpu` package's classes: plain prototypes, one method each that it patches. */
function fakeClasses(): { classes: WebGpuClasses; protos: Record<string, Record<string, unknown>> } {
  const method = (name: string) =>
    function (this: unknown) {
      return name;
    };
  const protos: Record<string, Record<string, unknown>> = {
    GPUAdapter: { requestDevice: method('requestDevice') },
    GPUDevice: { createCommandEncoder: method('createCommandEncoder'), createBuffer: method('createBuffer') },
    GPUQueue: { submit: method('submit'), writeBuffer: method('writeBuffer') },
    GPUCommandEncoder: { beginComputePass: method('beginComputePass') },
    GPUComputePassEncoder: { setPipeline: method('setPipeline'), dispatchWorkgroups: method('dispatch') },
    GPUBuffer: { destroy: method('destroy') },
  };
  const classes = Object.fromEntries(
    Object.entries(protos).map(([name, prototype]) => [name, { prototype }]),
  ) as unknown as WebGpuClasses;
  return { classes, protos };
}

const snapshot = (protos: Record<string, Record<string, unknown>>): unknown[] =>
  Object.values(protos).flatMap((p) => Object.keys(p).map((k) => p[k]));

describe('instrumentWebGpu', () => {
  it('patches once, and its restore puts the original methods back as they were', () => {
    const { classes, protos } = fakeClasses();
    const originals = snapshot(protos);
    const restore = instrumentWebGpu(classes);
    const patched = snapshot(protos);
    patched.forEach((m, k) => expect(m).not.toBe(originals[k]));
    // A second call is a no-op that hands back the same restore.
    expect(instrumentWebGpu(classes)).toBe(restore);
    expect(snapshot(protos)).toEqual(patched);

    restore();
    expect(snapshot(protos)).toEqual(originals);
    expect(Object.getOwnPropertyDescriptor(protos.GPUQueue ?? {}, 'submit')).toMatchObject({
      enumerable: true,
      writable: true,
      configurable: true,
    });
    restore();
    expect(snapshot(protos)).toEqual(originals);

    // Patched again: the same wrappers as the first time.
    expect(instrumentWebGpu(classes)).toBe(restore);
    expect(snapshot(protos)).toEqual(patched);
    restore();
  });

  it('counts calls while patched and nothing once restored', async () => {
    const { classes } = fakeClasses();
    const queue = Object.create(classes.GPUQueue.prototype) as GPUQueue;
    const recorder = new OpRecorder();
    const restore = instrumentWebGpu(classes);
    const countSubmits = async (): Promise<number> => {
      recorder.begin();
      setActiveRecorder(recorder);
      queue.submit([]);
      setActiveRecorder(undefined);
      recorder.end();
      const [activity] = await recorder.flush();
      return activity?.counts.submits ?? -1;
    };
    expect(await countSubmits()).toBe(1);
    restore();
    expect(await countSubmits()).toBe(0);
  });
});
