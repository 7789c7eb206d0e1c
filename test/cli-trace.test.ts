import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultFile } from '../src/results/read-result.js';
import type { TraceResult } from '../src/results/result-types.js';
import { CLI, runCli, tempDir, WIDE, type CliRun } from './support/cli.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'trace');
const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'tfjs-app.mjs');

async function onlyTrace(out: string): Promise<TraceResult> {
  const dirs = readdirSync(out);
  expect(dirs).toHaveLength(1);
  const dir = join(out, dirs[0] ?? '');
  expect(existsSync(join(dir, 'report.md'))).toBe(true);
  expect(existsSync(join(dir, 'trace.json'))).toBe(true);
  const result = await readResultFile(join(dir, 'result.json'));
  if (result.kind !== 'trace') throw new Error(`expected a trace result, got ${result.kind}`);
  return result;
}

/** `wgprof trace --details ARGS`: these tests read the whole report (the short view: reports-terminal.test.ts). */
function trace(args: readonly string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof runCli> {
  return runCli(['trace', '--details', ...args], { env: { XDG_RUNTIME_DIR: tempDir(), ...env } });
}

/**
 * Runs `wgprof trace` in a process group of its own, as a terminal runs it, and sends it SIGINT
 * once the program (forever.mjs) says it is looping: to the whole group, as Ctrl-C in a terminal
 * does, or to wgprof alone. `saidBefore`: the program's stdout up to the signal, all of it done
 * before the signal (what comes after may have been done after the trace's last flush).
 */
function interruptTrace(
  args: readonly string[],
  to: 'group' | 'wgprof',
  signals = 1,
): Promise<CliRun & { readonly saidBefore: string }> {
  const child = spawn(process.execPath, [CLI, 'trace', '--details', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_RUNTIME_DIR: tempDir(), COLUMNS: WIDE },
  });
  const pid = child.pid ?? 0;
  let stdout = '';
  let stderr = '';
  let sent = false;
  let saidBefore = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (sent || !stdout.includes('forever: looping')) return;
    sent = true;
    // More than one: 400 ms apart, longer than wgprof waits before it passes the first one on.
    for (let k = 0; k < signals; k++)
      setTimeout(
        () => {
          if (k === 0) saidBefore = stdout;
          process.kill(to === 'group' ? -pid : pid, 'SIGINT');
        },
        300 + 400 * k,
      );
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A trace that does not end fails the test, and leaves nothing running.
  const guard = setTimeout(() => process.kill(-pid, 'SIGKILL'), 40_000);
  return new Promise((done) => {
    child.once('close', (status) => {
      clearTimeout(guard);
      done({ status, stdout, stderr, saidBefore });
    });
  });
}

/**
 * Whether a dawn.node program survives a signal that ends it mid-GPU-work on this Node. On Node 24
 * (24.22.3, webgpu 0.6.2) it does not, with or without wgprof: forever.mjs alone, sent SIGINT,
 * aborts ("The futex facility returned an unexpected error code"), or fails a pthread assertion,
 * and process.exit() in its SIGINT listener crashes it (SIGSEGV); the trace then reports the
 * crash, but what the program flushed before it varies. The Ctrl-C tests run where it does.
 */
const SIGNALS_END_DAWN_CLEANLY = Number(process.versions.node.split('.')[0]) < 24;

/** The most submits forever.mjs said it had done in `stdout`, in its main thread or its worker. */
const submitsSaid = (stdout: string, who = 'forever'): number =>
  Math.max(0, ...[...stdout.matchAll(new RegExp(`^${who}: (\\d+) submits$`, 'gm'))].map((m) => Number(m[1])));

describe('wgprof trace', () => {
  it('counts each thread of a program with a worker: submits, passes, waits, with positive GPU times', async () => {
    const out = tempDir();
    const run = trace([
      '--out',
      out,
      '--gpu-time',
      'every',
      '--',
      'node',
      join(FIXTURES, 'two-threads.mjs'),
      '3',
    ]);
    expect(run.status).toBe(0);
    // The program's stdout passes through untouched; wgprof's report is on stderr.
    expect(run.stdout).toBe('main: 3 submits done\nworker: 4 submits done\n');
    expect(run.stderr).toMatch(/^wgprof trace: node .*two-threads\.mjs 3 \(exit 0; wall time/m);
    const result = await onlyTrace(out);
    const [main, worker] = result.summary.threads;
    expect(result.summary.threads).toHaveLength(2);
    expect(result.summary.timestamps).toBe('all');
    expect(result.summary.quantizationOff).toBe(true);
    for (const [thread, submits, who] of [
      [main, 3, 'main'],
      [worker, 4, 'worker'],
    ] as const) {
      expect(thread?.submits).toBe(submits);
      expect(thread?.passes).toBe(2 * submits);
      expect(thread?.timedPasses).toBe(2 * submits);
      expect(thread?.passRows.map((r) => [r.label, r.count]).sort()).toEqual([
        [`${who}-first`, submits],
        [`${who}-second`, submits],
      ]);
      for (const row of thread?.passRows ?? []) expect(row.medianNs).toBeGreaterThan(0);
      const [wait, ...others] = thread?.waitRows ?? [];
      expect(others).toEqual([]);
      expect(wait?.kind).toBe('onSubmittedWorkDone');
      expect(wait?.count).toBe(submits);
      expect(wait?.gpuNs).toBeGreaterThanOrEqual(0);
      expect(wait?.gpuNs).toBeLessThanOrEqual(wait?.totalNs ?? 0);
      expect(thread?.gpuBusyNs).toBeGreaterThan(0);
      expect(thread?.calls.uploads).toMatchObject({ count: 1, bytes: 65536 * 4 });
    }
    expect(main?.threadId).toBe(0);
    expect(worker?.threadId).toBeGreaterThan(0);
    for (const t of result.threads)
      for (const e of t.events) {
        if (e.e === 'pass') expect((e.gpuEnd ?? 0) - (e.gpuBegin ?? 0)).toBeGreaterThan(0);
        if ('dur' in e) expect(e.dur).toBeGreaterThanOrEqual(0);
      }
    expect(result.program.wallNs).toBeGreaterThan(0);
    // The Perfetto timeline: a track per thread and one per device for the passes.
    const timeline = JSON.parse(
      runCli(['report', join(out, readdirSync(out)[0] ?? '', 'result.json'), '--format', 'trace']).stdout,
    ) as {
      traceEvents: { ph: string; name: string; args?: { name?: string } }[];
    };
    const tracks = timeline.traceEvents
      .filter((e) => e.name === 'thread_name')
      .map((e) => e.args?.name ?? '');
    expect(tracks.filter((n) => n.startsWith('GPU: '))).toHaveLength(2);
    expect(timeline.traceEvents.filter((e) => e.ph === 'X' && e.name === 'worker-first')).toHaveLength(4);

    // The HTML page's own timeline: an inline SVG with a lane per thread and one per device, a bar per
    // timed call and per timed pass.
    const html = runCli([
      'report',
      join(out, readdirSync(out)[0] ?? '', 'result.json'),
      '--format',
      'html',
    ]).stdout;
    const figure = /<figure class="chart" id="chart-trace-timeline"[^]*?<\/figure>/.exec(html)?.[0] ?? '';
    expect(figure).toMatch(/<svg role="img"/);
    const texts = [...figure.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    const names = result.summary.threads.map((t) => t.name);
    expect(texts.filter((t) => names.includes(t)).sort()).toEqual([...names].sort());
    expect(texts.filter((t) => t.startsWith('GPU: ')).sort()).toEqual(
      names.map((n) => `GPU: ${n}, device 1`).sort(),
    );
    const bars = /<g class="mark-rect role-mark[^>]*>([^]*?)<\/g>/.exec(figure)?.[1] ?? '';
    const calls = new Set(['device', 'create', 'buffer', 'upload', 'submit', 'wait']);
    const expected = result.threads
      .flatMap((t) => t.events)
      .filter((e) => calls.has(e.e) || (e.e === 'pass' && e.gpuBegin !== null)).length;
    expect(bars.match(/<path /g)).toHaveLength(expected);
  });

  it('names the passes of unlabelled pipelines by their entry points, given or the module’s only one', async () => {
    const out = tempDir();
    const run = trace(['--out', out, '--', 'node', join(FIXTURES, 'entry-points.mjs')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('entry-points: 3 passes done\n');
    const result = await onlyTrace(out);
    const labels = result.threads.flatMap((t) => t.events.flatMap((e) => (e.e === 'pass' ? [e.label] : [])));
    expect(labels).toEqual(['halve', 'fill_ones', 'unlabelled pass']);
    expect(result.summary.all.passRows.map((r) => r.label).sort()).toEqual([
      'fill_ones',
      'halve',
      'unlabelled pass',
    ]);
    expect(run.stderr).toMatch(/^main thread \(pid \d+\) +halve +\d/m);
  });

  it("exits with the program's code and keeps what a crashing program recorded", async () => {
    const out = tempDir();
    const run = trace(['--out', out, '--', 'node', join(FIXTURES, 'crash.mjs')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/failing on purpose/);
    const result = await onlyTrace(out);
    expect(result.summary.all.submits).toBe(2);
    expect(result.summary.all.waitRows[0]?.count).toBe(2);
    expect(result.notes.join('\n')).toMatch(/exited with code 1: the trace holds what/);
    const code = trace(['--no-save', '--', 'node', join(FIXTURES, 'two-threads.mjs'), '1', '3']);
    expect(code.status).toBe(3);
  });

  it('stops a program at --duration and exits 0', async () => {
    const out = tempDir();
    const run = trace(['--out', out, '--duration', '1', '--', 'node', join(FIXTURES, 'loop.mjs')]);
    expect(run.status).toBe(0);
    const result = await onlyTrace(out);
    expect(result.program.stoppedBy).toBe('duration');
    expect(result.summary.all.submits).toBeGreaterThan(5);
  });

  for (const to of ['group', 'wgprof'] as const)
    it.runIf(SIGNALS_END_DAWN_CLEANLY)(
      `on Ctrl-C (SIGINT to ${to === 'group' ? 'the whole process group, the program with a worker' : 'wgprof alone'}) ends the program, keeps what it did and exits 130`,
      async () => {
        const out = tempDir();
        const program = ['node', join(FIXTURES, 'forever.mjs'), ...(to === 'group' ? ['worker'] : [])];
        const run = await interruptTrace(['--out', out, '--gpu-time', 'every', '--', ...program], to);
        expect(run.status, run.stderr).toBe(130);
        expect(run.stderr).toMatch(
          /^wgprof trace: node .*forever\.mjs( worker)? \(interrupted \(SIGINT\); wall time/m,
        );
        expect(run.stderr).toMatch(/^wgprof: result in /m);
        const result = await onlyTrace(out);
        expect(result.program).toMatchObject({ stoppedBy: 'interrupt', signal: 'SIGINT', exitCode: null });
        const { all } = result.summary;
        expect(all.submits).toBeGreaterThanOrEqual(Math.max(20, submitsSaid(run.saidBefore)));
        // Every submitted pass is kept, those whose timestamps were still being read back included;
        // only those (at most each thread's last two: one read back in flight, one not yet read) lack a GPU time.
        expect(all.passes).toBe(all.submits);
        expect(all.timedPasses).toBeGreaterThanOrEqual(all.passes - 2 * result.summary.threads.length);
        expect(all.calls.uploads.count).toBeGreaterThanOrEqual(all.submits);
        expect(all.passRows.map((r) => r.label)).toEqual(['step']);
        if (to === 'wgprof') return;
        // The worker flushed its log before the process died of the signal.
        const worker = result.summary.threads.find((t) => t.threadId > 0);
        expect(worker?.submits).toBeGreaterThanOrEqual(
          Math.max(1, submitsSaid(run.saidBefore, 'forever worker')),
        );
        expect(worker?.passes).toBe(worker?.submits);
      },
    );

  it.runIf(SIGNALS_END_DAWN_CLEANLY)(
    'on Ctrl-C leaves a program that handles SIGINT to it: one SIGINT, and its own exit code',
    async () => {
      const out = tempDir();
      const run = await interruptTrace(
        ['--out', out, '--', 'node', join(FIXTURES, 'forever.mjs'), 'handle'],
        'group',
      );
      expect(run.status, run.stderr).toBe(3);
      expect(run.stdout).toMatch(/^forever: 1 SIGINT$/m);
      const result = await onlyTrace(out);
      expect(result.program).toMatchObject({ stoppedBy: 'interrupt', signal: null, exitCode: 3 });
      expect(result.summary.all.submits).toBeGreaterThanOrEqual(submitsSaid(run.saidBefore));
    },
  );

  it.runIf(SIGNALS_END_DAWN_CLEANLY)(
    'on a second Ctrl-C kills a program that does not end, and still writes its trace',
    async () => {
      const out = tempDir();
      const run = await interruptTrace(
        ['--out', out, '--', 'node', join(FIXTURES, 'forever.mjs'), 'ignore'],
        'wgprof',
        2,
      );
      expect(run.status, run.stderr).toBe(128 + 9);
      expect(run.stderr).toMatch(/^wgprof: killing the program \(SIGKILL\)/m);
      const result = await onlyTrace(out);
      expect(result.program).toMatchObject({ stoppedBy: 'interrupt', signal: 'SIGKILL' });
      expect(result.summary.all.submits).toBeGreaterThanOrEqual(20);
      expect(result.notes.join('\n')).toMatch(/killed by SIGKILL \(a second Ctrl-C/);
    },
  );

  it('keeps at most --max-events events, says how many it dropped, and still counts them all', async () => {
    const out = tempDir();
    const run = trace([
      '--out',
      out,
      '--max-events',
      '50',
      '--',
      'node',
      join(FIXTURES, 'two-threads.mjs'),
      '30',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const result = await onlyTrace(out);
    const events = result.events;
    expect(events?.max).toBe(50);
    expect(events?.kept).toBe(50);
    expect(events?.dropped).toBe((events?.logged ?? 0) - 50);
    expect(events?.dropped).toBeGreaterThan(100);
    // Each thread keeps its first events, its header first.
    expect(result.threads.map((t) => t.events.length)).toEqual([25, 25]);
    for (const t of result.threads) expect(t.events[0]?.e).toBe('thread');
    // The figures are of every event: 30 submits of two passes in the main thread, 31 in the worker.
    expect(result.summary.all.submits).toBe(61);
    expect(result.summary.all.passes).toBe(122);
    expect(result.summary.threads.map((t) => t.waitRows[0]?.count)).toEqual([30, 31]);
    const warning = `Warning: ${events?.dropped} of ${events?.logged} events were not stored (over --max-events 50)`;
    expect(run.stderr).toContain(warning);
    const dir = join(out, readdirSync(out)[0] ?? '');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(warning);
  });

  it('refuses bad input with one line and exit 2', () => {
    for (const args of [
      [],
      ['--'],
      ['--', 'node', join(FIXTURES, 'missing.mjs')],
      ['--', 'no-such-program-wgprof'],
    ]) {
      const run = trace(['--no-save', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^wgprof: error: no (program to trace|such program)[^\n]*\n$/);
    }
    const bad = trace(['--no-save', '--duration', '0', '--', 'node', join(FIXTURES, 'no-gpu.mjs')]);
    expect(bad.status).toBe(2);
    for (const value of ['-1', '1.5', 'lots', '1e400'.repeat(5)]) {
      const run = trace(['--no-save', '--max-events', value, '--', 'node', join(FIXTURES, 'no-gpu.mjs')]);
      expect(run.status, value).toBe(2);
      expect(run.stderr).toMatch(/^wgprof: error: --max-events [^\n]*\n$/);
    }
  });

  it('says there is nothing to report for a program that never uses WebGPU', () => {
    const out = tempDir();
    const run = trace(['--out', out, '--', 'node', join(FIXTURES, 'no-gpu.mjs')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('no GPU here\n');
    expect(run.stderr).toMatch(/^wgprof: nothing to report: the program never opened a WebGPU device/m);
    expect(readdirSync(out)).toEqual([]);
  });

  it('says once that a device without timestamp-query gives CPU figures only', async () => {
    const out = tempDir();
    const run = trace(['--out', out, '--', 'node', join(FIXTURES, 'no-timestamps.mjs')], {
      EGL_PLATFORM: 'surfaceless',
    });
    expect(run.status).toBe(0);
    if (run.stdout.includes('no OpenGL ES adapter')) return;
    expect(run.stderr.match(/CPU figures only/g)).toHaveLength(2); // the device line and the one note
    const result = await onlyTrace(out);
    expect(result.summary.timestamps).toBe('none');
    expect(result.summary.all.submits).toBe(1);
    expect(result.summary.all.timedPasses).toBe(0);
  });

  it('traces a TF.js program with a worker: both threads and their matmul passes', async () => {
    const out = tempDir();
    const run = trace(['--out', out, '--', 'node', EXAMPLE, '3', '64']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^main: 3 matmuls of 64x64/m);
    expect(run.stdout).toMatch(/^worker: 3 matmuls of 64x64/m);
    const result = await onlyTrace(out);
    expect(result.summary.threads).toHaveLength(2);
    for (const t of result.summary.threads) {
      const matmul = t.passRows.find((r) => r.label.startsWith('MatMul'));
      expect(matmul?.count).toBe(3);
      expect(matmul?.medianNs).toBeGreaterThan(0);
      expect(t.waitRows.find((w) => w.kind === 'mapAsync')?.count).toBeGreaterThanOrEqual(3);
    }
  });
});
