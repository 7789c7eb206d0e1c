// TensorFlow.js's WebGPU backend doing one NxN matmul per op. TF.js opens its own adapter and
// device through navigator.gpu (wgprof's GPU object), not ctx.device. How TF.js splits the work:
// tf.tensor2d only keeps the values on the CPU (creation), tf.matMul uploads them and records the
// kernel without submitting it (kernel (CPU)), and data() submits, waits and reads back (sync).
//
//   wgprof profile --op examples/tfjs-matmul.mjs --op-arg n=256
//   wgprof profile --op examples/tfjs-matmul.mjs --op-arg n=64 --op-arg verify=1
//
// --op-arg n=N       matrix size (default 256)
// --op-arg verify=1  check each result against a matmul on the CPU (computed once, in setup)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';

function positiveInt(text, name) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`tfjs-matmul: --op-arg ${name}=${text} is not a positive integer`);
  }
  return value;
}

/** A fixed pseudo-random sequence in [-1, 1), the same in every thread and run. */
function makeMatrix(n, seed) {
  const m = new Float32Array(n * n);
  let s = seed >>> 0;
  for (let i = 0; i < m.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    m[i] = s / 2 ** 31 - 1;
  }
  return m;
}

function cpuMatMul(a, b, n) {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

export default {
  name: 'tfjs-matmul',

  async setup(ctx) {
    const n = positiveInt(ctx.args.n ?? '256', 'n');
    // The backend registers itself when imported, and only if navigator.gpu is there then.
    if (!tf.findBackendFactory('webgpu')) {
      throw new Error(
        'tfjs-matmul: the TF.js WebGPU backend did not register: navigator.gpu was missing ' +
          'when @tensorflow/tfjs-backend-webgpu was imported',
      );
    }
    if (!(await tf.setBackend('webgpu'))) {
      throw new Error('tfjs-matmul: TF.js could not initialize its webgpu backend (see the warning above)');
    }
    await tf.ready();
    const a = makeMatrix(n, 1);
    const b = makeMatrix(n, 2);
    const verify = ctx.args.verify === '1';
    return {
      n,
      a,
      b,
      verify,
      expected: verify ? cpuMatMul(a, b, n) : undefined,
      op: undefined,
    };
  },

  create(state) {
    const { n } = state;
    state.op = { a: tf.tensor2d(state.a, [n, n]), b: tf.tensor2d(state.b, [n, n]), c: undefined };
  },

  dispatch(state) {
    state.op.c = tf.matMul(state.op.a, state.op.b);
  },

  async sync(state) {
    const got = await state.op.c.data();
    if (!state.verify) return;
    const { n, expected } = state;
    for (let i = 0; i < got.length; i++) {
      // Sums of n products of values below 1, in float32: n * 1e-6 of slack is ample.
      const tolerance = 1e-6 * n + 1e-5 * Math.abs(expected[i]);
      if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
        const row = Math.floor(i / n);
        throw new Error(
          `tfjs-matmul: wrong result: C[${row}][${i - row * n}] is ${got[i]}, ` +
            `the CPU reference gives ${expected[i]} (tolerance ${tolerance.toExponential(1)})`,
        );
      }
    }
  },

  release(state) {
    const op = state.op;
    if (!op) return;
    tf.dispose([op.a, op.b, op.c].filter((t) => t !== undefined));
    state.op = undefined;
  },

  teardown(state) {
    state.op = undefined;
    // TF.js's device is its own (opened through navigator.gpu), so wgprof does not close it:
    // reset the engine (it disposes the backend, which destroys its pooled buffers and query
    // set), then destroy the device, or its native memory stays until the process ends.
    const device = tf.getBackend() === 'webgpu' ? tf.backend().device : undefined;
    tf.engine().reset();
    device?.destroy();
  },
};
