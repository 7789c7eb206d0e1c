// Bundles each worker entry wgprof starts per op (dist/worker/*.js, compiled by tsc) with the
// modules it imports into one file beside it. A fresh worker pays for loading its code on every
// op: wgprof's worker graph is about 40 small ES modules, and resolving, reading and compiling
// them one by one took 18 ms of a fresh worker's init (median of 7 new workers, lavapipe VM),
// against 3 ms for the same code as one file. `webgpu` (a native addon) stays external, so the
// worker loads the same dawn.node a user's program would. The bundles sit in dist/worker/, at
// the depth of the files they replace, so their import.meta.url paths (shaders, package.json)
// resolve as before.
import { build } from 'esbuild';

const ENTRIES = ['op-worker', 'pool-task', 'component-worker'];

await build({
  entryPoints: ENTRIES.map((name) => `dist/worker/${name}.js`),
  outdir: 'dist/worker',
  outExtension: { '.js': '.bundle.js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  logLevel: 'warning',
});
