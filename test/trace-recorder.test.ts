import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globals } from 'webgpu';
import { describe, expect, it } from 'vitest';
import { computeEntryPoints, soleComputeEntry } from '../src/instrument/compute-entry.js';
import {
  instrumentWebGpu,
  setActiveRecorder,
  type WebGpuClasses,
} from '../src/instrument/webgpu-instrumentation.js';
import { EventLog, parseEventLines } from '../src/trace/event-log.js';
import { TraceRecorder } from '../src/trace/trace-recorder.js';
import { tempDir } from './support/cli.js';
import { openTestDevice } from './support/device.js';

describe('trace: the compute entry points of a WGSL module', () => {
  it('finds @compute functions past other attributes and line breaks, and none in comments', () => {
    const code = [
      '// @compute @workgroup_size(1) fn in_a_comment() {}',
      '/* @compute fn in_a_block()',
      '   {} */',
      '@workgroup_size(64) @compute fn first(@builtin(global_invocation_id) id: vec3u) {}',
      '@vertex fn not_compute() -> @builtin(position) vec4f { return vec4f(); }',
      '@compute',
      '@workgroup_size(8, 8, 1)',
      'fn second_2() {}',
      '@ compute @workgroup_size(4) fn grüße() {}',
    ].join('\n');
    expect(computeEntryPoints(code)).toEqual(['first', 'second_2', 'grüße']);
    expect(soleComputeEntry(code)).toBeUndefined();
    expect(soleComputeEntry('@compute @workgroup_size(1) fn main() {}')).toBe('main');
    expect(soleComputeEntry('fn helper() {}')).toBeUndefined();
    expect(soleComputeEntry('')).toBeUndefined();
  });
});

describe('trace: the recorder on the real device', () => {
  it('names a pass by its label, else its pipeline’s, else the entry point, and keeps its state on the objects', async () => {
    const restore = instrumentWebGpu(globals as unknown as WebGpuClasses);
    const ctx = await openTestDevice();
    const path = join(tempDir(), 'log.jsonl');
    const log = new EventLog(path);
    const recorder = new TraceRecorder(log);
    setActiveRecorder(recorder);
    try {
      const device = ctx.device;
      const module = device.createShaderModule({ code: '@compute @workgroup_size(1) fn only_one() {}' });
      const labelled = device.createComputePipeline({ label: 'mine', layout: 'auto', compute: { module } });
      const unlabelled = await device.createComputePipelineAsync({ layout: 'auto', compute: { module } });
      const encoder = device.createCommandEncoder();
      const passes: [string | undefined, GPUComputePipeline][] = [
        ['the pass', unlabelled],
        [undefined, labelled],
        [undefined, unlabelled],
      ];
      for (const [label, pipeline] of passes) {
        const pass = encoder.beginComputePass(label === undefined ? {} : { label });
        pass.setPipeline(pipeline);
        pass.dispatchWorkgroups(1);
        pass.end();
      }
      const commandBuffer = encoder.finish();
      // Properties under the recorder's own symbols, where WeakMap entries would slow every collection.
      const symbols = (o: object): string[] => Object.getOwnPropertySymbols(o).map(String);
      expect(symbols(encoder)).toContain('Symbol(wgprof.trace.encoder)');
      expect(symbols(commandBuffer)).toContain('Symbol(wgprof.trace.commandBuffer)');
      device.queue.submit([commandBuffer]);
      await device.queue.onSubmittedWorkDone();
      // As before a device is destroyed: the read-back in flight finishes, and the passes are logged.
      await recorder.beforeDestroy(device);
    } finally {
      setActiveRecorder(undefined);
      restore();
      ctx.close();
    }
    log.flush();
    const events = parseEventLines(readFileSync(path, 'utf8'));
    const passes = events.flatMap((e) => (e.e === 'pass' ? [e] : []));
    expect(passes.map((p) => p.label)).toEqual(['the pass', 'mine', 'only_one']);
    for (const p of passes) expect((p.gpuEnd ?? 0) - (p.gpuBegin ?? 0)).toBeGreaterThan(0);
    expect(events.find((e) => e.e === 'submit')).toMatchObject({ passes: 3, commandBuffers: 1 });
  });
});
