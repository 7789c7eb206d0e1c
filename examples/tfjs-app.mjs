// A small TensorFlow.js program with a worker, for `wgprof trace` (it knows nothing of wgprof):
// the main thread and one worker each open TF.js's WebGPU backend on dawn.node and run a few
// matmuls through examples/tfjs-matmul.mjs (tf.matMul, then await data()).
//
//   wgprof trace -- node examples/tfjs-app.mjs [MATMULS] [N]
//
// MATMULS  matmuls per thread (default 20)
// N        matrix size (default 256)
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { create, globals } from 'webgpu';

const { matmuls, n } = isMainThread
  ? { matmuls: Number(process.argv[2] ?? '20'), n: process.argv[3] ?? '256' }
  : workerData;

async function run(who) {
  // What TF.js needs from a browser, installed before its backend is imported.
  Object.assign(globalThis, globals);
  const gpu = create([]);
  if (!globalThis.navigator) globalThis.navigator = {};
  Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  const { default: op } = await import('./tfjs-matmul.mjs');
  const state = await op.setup({ args: { n } });
  const started = performance.now();
  for (let i = 0; i < matmuls; i++) {
    op.create(state);
    op.dispatch(state);
    await op.sync(state);
    op.release(state);
  }
  console.log(`${who}: ${matmuls} matmuls of ${n}x${n} in ${(performance.now() - started).toFixed(1)} ms`);
  await op.teardown(state);
  return gpu;
}

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { matmuls, n } });
  const exited = new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  await run('main');
  await exited;
} else {
  await run('worker');
}
