import { describe, expect, it } from 'vitest';
import type { BreakdownResult, SyncResult } from '../src/results/result-types.js';
import { validateResult } from '../src/results/validate-result.js';
import { readResultFile } from '../src/results/read-result.js';
import { resultFiles, runCli, tempDir } from './support/cli.js';

describe('wgprof breakdown on the real device and real workers', () => {
  const run = runCli(['breakdown', '--kernel', 'noop', '--size', '1K', '--reps', '3', '--no-save', '--json']);
  const result = JSON.parse(run.stdout) as BreakdownResult;

  it('measures every component, in a worker and on the main thread, and validates', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(result.rows.map((r) => r.id)).toEqual([
      'worker.empty',
      'worker.load',
      'worker.device',
      'worker.create.writeBuffer',
      'worker.create.mapped',
      'worker.create.pooled',
      'worker.dispatch',
      'worker.sync',
      'worker.op',
      'main.create.writeBuffer',
      'main.create.mapped',
      'main.create.pooled',
      'main.dispatch',
      'main.sync',
      'main.op',
    ]);
    for (const row of result.rows) {
      expect(row.summary?.n, row.id).toBe(3);
      expect(row.summary?.median, row.id).toBeGreaterThan(0);
      expect(row.capacityPerSecond).toBeCloseTo(1e9 / (row.summary?.median ?? 1), 6);
    }
    const validation = validateResult(result);
    expect(validation.ok ? 'ok' : validation.problem).toBe('ok');
  });

  it('each worker row did exactly the steps it names', () => {
    expect(result.steps).toEqual({
      'worker.empty': [],
      'worker.load': ['load'],
      'worker.device': ['load', 'device'],
      'worker.create.writeBuffer': ['load', 'device', 'create'],
      'worker.create.mapped': ['load', 'device', 'create'],
      'worker.create.pooled': ['load', 'device', 'create'],
      'worker.dispatch': ['load', 'device', 'compile', 'create', 'dispatch'],
      'worker.sync': ['load', 'device', 'sync'],
      'worker.op': ['load', 'device', 'compile', 'op'],
    });
  });

  it('attributes the fresh-worker op to its components, adding up to it', () => {
    const op = result.rows.find((r) => r.id === 'worker.op')?.summary?.median ?? NaN;
    expect(result.attribution).toHaveLength(6);
    expect(result.attribution.reduce((a, b) => a + b.ns, 0)).toBeCloseTo(op, 3);
  });

  it('prints where a fresh-worker op goes in a few lines, and every table with --details', () => {
    const args = ['breakdown', '--kernel', 'noop', '--size', '1K', '--reps', '2', '--no-save'];
    const short = runCli(args).stdout;
    expect(short).toMatch(/^a fresh-worker op takes [\d.]+ \w+ \[/m);
    expect(short).toMatch(/^ +worker create and join +[\d.]+ \w+ +\d+%$/m);
    expect(short).toMatch(/^the same op on the main thread, with a warm device: /m);
    const text = runCli([...args, '--details']).stdout;
    expect(text).toMatch(
      /Component +Where +Median \[\w+\] +95% CI \[\w+\] +Capacity \(ops\/s\) +n +Share of fresh-worker op/,
    );
    expect(text).toMatch(
      /^Attribution of the fresh-worker op \(.*\), by subtracting each measured worker row from the next: worker create and join/m,
    );
    expect(text).toMatch(/On the main thread, with a warm device:/);
  });
});

describe('wgprof sync on the real device', () => {
  const run = runCli(['sync', '--reps', '3', '--no-save', '--json']);
  const result = JSON.parse(run.stdout) as SyncResult;

  it('measures the floor, completion over sizes and methods, batching and the overhead, and validates', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(result.floor.map((r) => r.id)).toEqual(['floor.empty', 'floor.noop']);
    expect(new Set(result.completion.map((r) => r.bytes)).size).toBe(8);
    expect(new Set(result.completion.map((r) => r.method))).toEqual(
      new Set(['onSubmittedWorkDone', 'mapAsync', 'both']),
    );
    expect(result.batching.rows.map((r) => r.k)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(result.batching.fit?.n).toBe(7);
    expect('ops' in result.overhead && result.overhead.ops).toBeGreaterThan(0);
    const validation = validateResult(result);
    expect(validation.ok ? 'ok' : validation.problem).toBe('ok');
  });

  it('copying 64 MiB takes longer to complete than copying 4 KiB (each row measured what it names)', () => {
    const median = (bytes: number): number =>
      result.completion.find((r) => r.bytes === bytes && r.method === 'onSubmittedWorkDone')?.summary
        ?.median ?? NaN;
    expect(median(64 * 1024 * 1024)).toBeGreaterThan(median(4 * 1024));
  });

  it('prints the floor, completion, the fit and the overhead in a line each, and every table with --details', () => {
    const short = runCli(['sync', '--reps', '2', '--no-save']).stdout;
    for (const part of ['floor: ', 'completion of a copy', 'batching: ', 'sync overhead: '])
      expect(short).toMatch(new RegExp(`^${part}`, 'm'));
    const text = runCli(['sync', '--reps', '2', '--no-save', '--details']).stdout;
    for (const part of ['1. The floor:', '2. Completion', '3. Batching', '4. Sync overhead'])
      expect(text).toContain(part);
    expect(text).toMatch(/time per sync = s \+ c \* k, with s \(fixed sync cost\) = /);
  });
});

describe('a device lost during sync or breakdown', () => {
  for (const command of ['sync', 'breakdown'] as const) {
    it(`${command}: names the loss, writes what was measured, and exits 5`, async () => {
      const out = tempDir();
      const run = runCli([command, '--kernel', 'noop', '--size', '1K', '--reps', '3', '--out', out], {
        env: { WGPROF_INJECT_FAULT: 'lose@3' },
      });
      expect(run.status, run.stderr).toBe(5);
      expect(run.stderr).toMatch(
        new RegExp(
          `^wgprof: error: the GPU device was lost during wgprof ${command} \\(destroyed: .*\\); what was measured is in .*result\\.json\\n$`,
        ),
      );
      const [file] = resultFiles(out);
      const result = await readResultFile(file ?? '');
      expect(result.kind).toBe(command);
      if (result.kind === 'breakdown' || result.kind === 'sync')
        expect(result.deviceLost).toMatch(/^destroyed: /);
    });
  }
});
