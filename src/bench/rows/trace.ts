import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTrace } from '../../trace/read-trace.js';
import { tracedCommand, tracedEnv } from '../../trace/run-traced.js';
import type { CallsByKind } from '../../trace/trace-summary.js';
import { bootstrapMedianCi, median, sortedCopy } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, DetailTable } from '../bench-types.js';
import { medianFigure } from '../figures.js';
import { formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

/** The TF.js example (main thread and one worker); three levels up is the repository from src/ and dist/ alike. */
const EXAMPLE = fileURLToPath(new URL('../../../examples/tfjs-app.mjs', import.meta.url));
const SLOWDOWN_LIMIT = 1.05;
const PER_CALL_LIMIT_NS = 1000;
/** Longer than any run of the full plan takes: a program that hangs fails the row instead of the bench. */
const RUN_TIMEOUT_MS = 300_000;

/** One run of the program: its wall time from spawn to exit, ns, and for a traced run its recorded calls. */
interface ProgramRun {
  readonly wallNs: number;
  readonly calls?: number;
}

/** The calls the trace logged: every kind of CallsByKind (creation, buffers, uploads, encoding, submits, waits). */
function recordedCalls(calls: CallsByKind): number {
  const { creation, buffers, uploads, encoding, submits, waiting } = calls;
  return [creation, buffers, uploads, encoding, submits, waiting].reduce((sum, c) => sum + c.count, 0);
}

/**
 * Runs the example as a plain `node` child, its output discarded: bare, or with the preload as
 * `wgprof trace` adds it (tracedCommand and tracedEnv, the same functions). Throws when it fails.
 */
async function runProgram(matmuls: number, traced: boolean): Promise<ProgramRun> {
  const command = ['node', EXAMPLE, String(matmuls)];
  const dir = traced ? mkdtempSync(join(tmpdir(), 'wgprof-bench-trace-')) : undefined;
  try {
    const { file, args } =
      dir === undefined ? { file: process.execPath, args: command.slice(1) } : tracedCommand(command);
    const start = process.hrtime.bigint();
    const child = spawn(file, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: dir === undefined ? process.env : tracedEnv(dir),
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    const wallNs = Number(process.hrtime.bigint() - start);
    if (code !== 0) {
      const last = stderr.trim().split('\n').slice(-2).join(' | ');
      throw new Error(`node ${args.join(' ')} exited with ${signal ?? code}: ${last}`);
    }
    if (dir === undefined) return { wallNs };
    // The figures only: no event is kept.
    const trace = readTrace(dir, 0);
    if (!trace.usedWebGpu)
      throw new Error('the traced example logged no WebGPU device: the preload did not act');
    return { wallNs, calls: recordedCalls(trace.summary.all.calls) };
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

interface Round {
  readonly bareNs: number;
  readonly tracedNs: number;
  readonly calls: number;
  readonly tracedFirst: boolean;
}

/** Rounds of one bare and one traced run, back to back, which first alternating from round to round. */
async function runRounds(plan: BenchPlan['trace']): Promise<Round[]> {
  for (let w = 0; w < plan.warmupRounds; w++) {
    await runProgram(plan.matmuls, false);
    await runProgram(plan.matmuls, true);
  }
  const rounds: Round[] = [];
  for (let r = 0; r < plan.rounds; r++) {
    const tracedFirst = r % 2 === 1;
    const first = await runProgram(plan.matmuls, tracedFirst);
    const second = await runProgram(plan.matmuls, !tracedFirst);
    const [traced, bare] = tracedFirst ? [first, second] : [second, first];
    rounds.push({ bareNs: bare.wallNs, tracedNs: traced.wallNs, calls: traced.calls ?? 0, tracedFirst });
  }
  return rounds;
}

function roundsTable(rounds: readonly Round[]): DetailTable {
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  return {
    title: 'Rounds (wall time of the program, spawn to exit)',
    header: ['Round', 'First', 'Bare [ms]', 'Traced [ms]', 'Ratio', 'Calls recorded', 'Added per call'],
    rows: rounds.map((r, i) => [
      String(i + 1),
      r.tracedFirst ? 'traced' : 'bare',
      ms(r.bareNs),
      ms(r.tracedNs),
      `${(r.tracedNs / r.bareNs).toFixed(3)}x`,
      String(r.calls),
      formatFigure({ value: (r.tracedNs - r.bareNs) / r.calls, unit: 'ns' }),
    ]),
  };
}

/**
 * 10a/10b: what `wgprof trace` costs a real program. The TF.js example runs as a plain `node`
 * child, alternately bare and with wgprof's preload (its `--import` and NODE_OPTIONS, as `wgprof
 * trace` sets them, and its log folder); each round pairs one of each. 10a is the paired ratio of
 * their wall times, 10b the time added over the WebGPU calls the trace recorded in that run.
 */
export async function traceRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const rounds = await runRounds(plan.trace);
  const bare = Float64Array.from(rounds, (r) => r.bareNs);
  const traced = Float64Array.from(rounds, (r) => r.tracedNs);
  const ratios = Float64Array.from(rounds, (r) => r.tracedNs / r.bareNs);
  const perCall = Float64Array.from(rounds, (r) => (r.tracedNs - r.bareNs) / r.calls);
  const ratioCi = bootstrapMedianCi(sortedCopy(ratios));
  const perCallCi = bootstrapMedianCi(sortedCopy(perCall));
  const ratio = median(ratios);
  const calls = median(Float64Array.from(rounds, (r) => r.calls));
  const what =
    `examples/tfjs-app.mjs ${plan.trace.matmuls} (TF.js's WebGPU backend, ${plan.trace.matmuls} matmuls of 256x256 ` +
    `in the main thread and in one worker), ${plan.trace.rounds} rounds of one bare and one traced run, which ` +
    `first alternating, after ${plan.trace.warmupRounds} warm-up round${plan.trace.warmupRounds === 1 ? '' : 's'}; ` +
    'wall time from spawn to exit, so loading the preload, writing the logs and the timestamp read-backs count';
  const details = { rounds, matmuls: plan.trace.matmuls, ratio: ratioCi, perCall: perCallCi };
  const tables = [roundsTable(rounds)];
  return [
    completedRow({
      id: '10a',
      measure: "trace: wall time of the TF.js example, traced (wgprof trace's preload) vs bare node",
      wgprof: medianFigure(traced, 'ns'),
      baseline: medianFigure(bare, 'ns'),
      ratio: { value: ratio, unit: 'x', low: ratioCi.low, high: ratioCi.high },
      target: {
        text: '<= 1.05x (under 5% slower)',
        direction: 'at-most',
        limit: SLOWDOWN_LIMIT,
        checked: { value: ratio, unit: 'x', low: ratioCi.low, high: ratioCi.high },
      },
      note: `${what}. The ratio is the median of the rounds' traced/bare ratios, its CI a bootstrap of that median.`,
      details,
      tables,
    }),
    completedRow({
      id: '10b',
      measure: 'trace: wall time added per recorded WebGPU call, (traced - bare) / calls',
      wgprof: { value: median(perCall), unit: 'ns', low: perCallCi.low, high: perCallCi.high },
      target: {
        text: '<= 1 us per call',
        direction: 'at-most',
        limit: PER_CALL_LIMIT_NS,
        checked: { value: median(perCall), unit: 'ns', low: perCallCi.low, high: perCallCi.high },
      },
      note:
        `Per round, the traced run's wall time less the bare run's, over the calls its trace recorded (median ${calls}: ` +
        'device, creation, buffer, upload, encoder, submit and wait calls; patched calls that log nothing, such as ' +
        'setPipeline and dispatchWorkgroups, are not counted, so this is the cost per recorded call, all of the ' +
        "preload's cost included).",
      details,
    }),
  ];
}
