import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withUnquantizedTimestamps } from '../src/trace/dawn-flags.js';
import { eventShares } from '../src/trace/event-cap.js';
import { parseEventLines } from '../src/trace/event-log.js';
import {
  clockBounds,
  coveredNs,
  gpuClockOffset,
  mergeIntervals,
  overlapNs,
} from '../src/trace/gpu-timeline.js';
import type { TraceEvent } from '../src/trace/trace-events.js';
import { readTrace } from '../src/trace/read-trace.js';
import { summarizeTrace } from '../src/trace/trace-summary.js';
import { tempDir } from './support/cli.js';

describe('trace: GPU timeline arithmetic', () => {
  it('merges intervals and measures their overlap with a window exactly', () => {
    const merged = mergeIntervals([
      { start: 10, end: 20 },
      { start: 0, end: 5 },
      { start: 15, end: 30 },
      { start: 40, end: 40 },
    ]);
    expect(merged).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 30 },
    ]);
    expect(coveredNs(merged)).toBe(25);
    expect(overlapNs(merged, 3, 12)).toBe(4);
    expect(overlapNs(merged, 30, 100)).toBe(0);
    expect(overlapNs([], 0, 10)).toBe(0);
  });

  it('keeps the clocks together when the bounds allow it, and moves the GPU clock when they do not', () => {
    expect(gpuClockOffset({ lower: -5, upper: 7 })).toBe(0);
    expect(gpuClockOffset({ lower: 100, upper: 200 })).toBe(100);
    expect(gpuClockOffset({ lower: -300, upper: -200 })).toBe(-200);
    expect(gpuClockOffset({ lower: 50, upper: 10 })).toBe(50);
    const bounds = clockBounds(
      [
        { submitAt: 100, gpuBegin: 1100, gpuEnd: 1150 },
        { submitAt: 200, gpuBegin: 1210, gpuEnd: 1260 },
      ],
      [{ start: 150, end: 170 }],
    );
    expect(bounds).toEqual({ lower: -1000, upper: 170 - 1150 });
  });

  it('turns timestamp quantization off in the program’s own create() flags', () => {
    expect(withUnquantizedTimestamps([])).toEqual({
      flags: ['disable-dawn-features=timestamp_quantization'],
      quantizationOff: true,
    });
    expect(withUnquantizedTimestamps(['backend=vulkan', 'disable-dawn-features=a'])).toEqual({
      flags: ['backend=vulkan', 'disable-dawn-features=a,timestamp_quantization'],
      quantizationOff: true,
    });
    expect(withUnquantizedTimestamps(['enable-dawn-features=timestamp_quantization']).quantizationOff).toBe(
      false,
    );
  });
});

describe('trace: summary of a hand-written log', () => {
  const events: TraceEvent[] = [
    { e: 'thread', pid: 7, threadId: 0, main: true, script: 'app.js', at: 0 },
    { e: 'device', dev: 1, at: 0, dur: 1000, adapter: 'test', timestamps: true },
    { e: 'upload', dev: 1, at: 1000, dur: 10, bytes: 64 },
    {
      e: 'submit',
      dev: 1,
      seq: 1,
      at: 2000,
      dur: 100,
      encodeNs: 500,
      encodeCallsNs: 20,
      passes: 2,
      commandBuffers: 1,
    },
    { e: 'wait', dev: 1, kind: 'onSubmittedWorkDone', at: 2100, dur: 900 },
    { e: 'pass', dev: 1, seq: 1, label: 'a', gpuBegin: 2200, gpuEnd: 2500 },
    { e: 'pass', dev: 1, seq: 1, label: 'b', gpuBegin: 2500, gpuEnd: 2600 },
  ];
  const text = `${events.map((e) => JSON.stringify(e)).join('\n')}\n{"e":"wait","dev`;

  it('drops a torn last line and adds the calls, passes and waits up exactly', () => {
    const parsed = parseEventLines(text);
    expect(parsed).toEqual(events);
    const summary = summarizeTrace([{ file: '7-0.jsonl', events: parsed }]);
    const [thread] = summary.threads;
    expect(thread?.calls.creation).toEqual({ count: 1, ns: 1000, bytes: 0 });
    expect(thread?.calls.uploads).toEqual({ count: 1, ns: 10, bytes: 64 });
    expect(thread?.calls.encoding).toEqual({ count: 1, ns: 20, bytes: 0 });
    expect(thread?.insideGpuCallsNs).toBe(1000 + 10 + 20 + 100 + 900);
    expect(thread?.gpuBusyNs).toBe(400);
    expect(thread?.devices[0]?.clockOffsetNs).toBe(0);
    expect(thread?.passRows.map((r) => [r.label, r.medianNs, r.share])).toEqual([
      ['a', 300, 0.75],
      ['b', 100, 0.25],
    ]);
    expect(thread?.waitRows).toEqual([
      {
        kind: 'onSubmittedWorkDone',
        count: 1,
        medianNs: 900,
        p99Ns: 900,
        totalNs: 900,
        splitCount: 1,
        splitNs: 900,
        gpuNs: 400,
        latencyNs: 500,
      },
    ]);
    expect(summary.timestamps).toBe('all');
  });
});

describe('trace: the cap on stored events', () => {
  it('shares the cap out evenly, a thread with fewer keeping all of its own', () => {
    expect(eventShares([100, 100, 100], 10)).toEqual([3, 3, 4]);
    expect(eventShares([2, 100, 50], 30)).toEqual([2, 14, 14]);
    expect(eventShares([5, 5], 100)).toEqual([5, 5]);
    expect(eventShares([10, 0, 10], 7)).toEqual([3, 0, 4]);
    expect(eventShares([7], 0)).toEqual([0]);
    expect(eventShares([], 5)).toEqual([]);
  });

  it('keeps each thread its first events and counts every one, in logs read a chunk at a time', () => {
    const dir = tempDir();
    // 30,000 uploads of 70-odd bytes a line: past the 1 MiB chunk, so lines straddle its edge.
    const uploads = 30_000;
    const big: TraceEvent[] = [
      { e: 'thread', pid: 7, threadId: 0, main: true, script: 'app.js', at: 0 },
      { e: 'device', dev: 1, at: 0, dur: 1000, adapter: 'test', timestamps: true },
      ...Array.from({ length: uploads }, (_, k): TraceEvent => ({
        e: 'upload',
        dev: 1,
        at: 1000 + k,
        dur: 2,
        bytes: k,
      })),
    ];
    const lines = (list: readonly TraceEvent[]): string => list.map((e) => `${JSON.stringify(e)}\n`).join('');
    writeFileSync(join(dir, '7-0.jsonl'), lines(big));
    // A worker's short log, its last line torn by a crash.
    const worker: TraceEvent[] = [
      { e: 'thread', pid: 7, threadId: 1, main: false, script: 'app.js', at: 5 },
      { e: 'device', dev: 1, at: 5, dur: 500, adapter: 'test', timestamps: true },
      { e: 'upload', dev: 1, at: 600, dur: 10, bytes: 64 },
      { e: 'wait', dev: 1, kind: 'onSubmittedWorkDone', at: 700, dur: 90 },
    ];
    writeFileSync(join(dir, '7-1.jsonl'), `${lines(worker)}{"e":"wait","dev`);
    const read = readTrace(dir, 100);
    expect(read.events).toEqual({
      logged: big.length + 4,
      kept: 100,
      dropped: big.length + 4 - 100,
      max: 100,
    });
    expect(read.logs.map((l) => [l.file, l.events.length])).toEqual([
      ['7-0.jsonl', 96],
      ['7-1.jsonl', 4],
    ]);
    expect(read.logs[0]?.events).toEqual(big.slice(0, 96));
    // The summary is of every event, as if none had been dropped.
    const all = summarizeTrace([
      { file: '7-0.jsonl', events: big },
      { file: '7-1.jsonl', events: worker },
    ]);
    expect(read.summary).toEqual(all);
    expect(read.summary.threads[0]?.calls.uploads).toEqual({
      count: uploads,
      ns: 2 * uploads,
      bytes: (uploads * (uploads - 1)) / 2,
    });
    expect(read.usedWebGpu).toBe(true);
    expect(readTrace(dir, 0).logs.map((l) => l.events.length)).toEqual([0, 0]);
  });
});
