import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProfileResult } from '../../results/result-types.js';
import { fitLine } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow } from '../bench-types.js';
import { completedRow } from '../verdict.js';

// The built CLI, as a user runs it: three levels up is the repository from src/ and dist/ alike.
const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

interface CliRun {
  readonly wallNs: number;
  readonly result: ProfileResult;
}

/**
 * Runs `wgprof profile ARGS` as a user would (its own process, result.json written, to a
 * temporary folder) and times it from spawn to exit.
 */
async function timeProfile(args: readonly string[]): Promise<CliRun> {
  const out = mkdtempSync(join(tmpdir(), 'wgprof-bench-'));
  try {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, 'profile', ...args, '--out', out, '--quiet'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    const wallNs = Number(process.hrtime.bigint() - start);
    if (code !== 0) {
      const last = stderr.trim().split('\n').pop() ?? '';
      throw new Error(`wgprof profile ${args.join(' ')} exited with ${code}: ${last}`);
    }
    const [dir] = readdirSync(out);
    if (dir === undefined) throw new Error(`wgprof profile ${args.join(' ')} wrote no result`);
    const result = JSON.parse(readFileSync(join(out, dir, 'result.json'), 'utf8')) as ProfileResult;
    return { wallNs, result };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** 5a: the default `wgprof profile`, start to exit. */
async function defaultRow(plan: BenchPlan): Promise<CompletedRow> {
  const args = plan.wallTime.defaultArgs;
  const { wallNs, result } = await timeProfile(args);
  const { rounds } = result;
  return completedRow({
    id: '5a',
    measure: `wall time: wgprof profile ${args.join(' ')}`.trimEnd(),
    wgprof: { value: wallNs, unit: 'ns' },
    note:
      `the real CLI (dist/cli/main.js), spawn to exit, result.json and reports written: ` +
      `${rounds.count} rounds in ${(rounds.elapsedMs / 1000).toFixed(1)} s, stopped by ${rounds.stoppedBy}; ` +
      'the rest is starting the process, the device, the workers, and writing the reports.',
    details: { args, rounds, scenarios: result.runs.map((r) => r.label) },
  });
}

/**
 * 5b: wall time against --ops on noop, fitted by least squares, and the target on what the issue
 * asks: no per-op cost that grows with the run, i.e. one more op costs no more between the two
 * longest runs than between the two shortest (an O(n^2) store or summary would make it grow).
 */
async function sweepRow(plan: BenchPlan): Promise<CompletedRow> {
  const { sweepOps, sweepRepeats } = plan.wallTime;
  const points: { ops: number; wallNs: number }[] = [];
  for (let r = 0; r < sweepRepeats; r++) {
    // Every other pass runs the sizes backwards, so that drift does not line up with --ops.
    const order = r % 2 === 0 ? sweepOps : [...sweepOps].reverse();
    for (const ops of order) {
      const { wallNs } = await timeProfile(['--kernel', 'noop', '--size', '1K', '--ops', String(ops)]);
      points.push({ ops, wallNs });
    }
  }
  const fit = fitLine(
    points.map((p) => p.ops),
    points.map((p) => p.wallNs),
  );
  const stepNs = (from: number, to: number): number => {
    const at = (ops: number): number =>
      points.filter((p) => p.ops === ops).reduce((sum, p, _, all) => sum + p.wallNs / all.length, 0);
    return (at(to) - at(from)) / (to - from);
  };
  const perOp = (from: number, to: number): string => `${(stepNs(from, to) / 1e6).toFixed(1)} ms/op`;
  const first = sweepOps[0] ?? 0;
  const second = sweepOps[1] ?? 0;
  const lastButOne = sweepOps[sweepOps.length - 2] ?? 0;
  const last = sweepOps[sweepOps.length - 1] ?? 0;
  const growth = stepNs(lastButOne, last) / stepNs(first, second);
  return completedRow({
    id: '5b',
    measure: `wall time per op: wgprof profile --kernel noop --size 1K --ops ${sweepOps.join('|')} (slope)`,
    wgprof: { value: fit.slope, unit: 'ns', low: fit.slopeCi[0], high: fit.slopeCi[1] },
    target: {
      text: `no per-op cost growing with the run: one op's cost from ${lastButOne} to ${last} ops <= 1.10x that from ${first} to ${second}`,
      direction: 'at-most',
      limit: 1.1,
      checked: { value: growth, unit: 'x' },
    },
    note:
      `least squares over ${points.length} runs (all five strategies, so each op is run by each): ` +
      `intercept ${(fit.intercept / 1e9).toFixed(2)} s [${(fit.interceptCi[0] / 1e9).toFixed(2)}, ${(fit.interceptCi[1] / 1e9).toFixed(2)}], ` +
      `slope ${(fit.slope / 1e6).toFixed(1)} ms per --ops [${(fit.slopeCi[0] / 1e6).toFixed(1)}, ${(fit.slopeCi[1] / 1e6).toFixed(1)}], ` +
      `R squared ${fit.rSquared.toFixed(4)}; the cost of one more op from ${first} to ${second}: ${perOp(first, second)}, ` +
      `from ${lastButOne} to ${last}: ${perOp(lastButOne, last)}.`,
    details: { points, fit },
  });
}

export async function wallTimeRows(plan: BenchPlan): Promise<CompletedRow[]> {
  return [await defaultRow(plan), await sweepRow(plan)];
}
