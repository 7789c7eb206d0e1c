import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ProfileResult } from '../../results/result-types.js';
import { median } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, DetailTable, Figure } from '../bench-types.js';
import { formatFigure } from '../render.js';
import { completedRow } from '../verdict.js';

// Built files, as a user runs them: three levels up is the repository from src/ and dist/ alike.
const BARE = fileURLToPath(new URL('../../../dist/bench/yardstick/bare-op.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** The op both sides run: wgprof's built-in `scale` at 1,024 f32 elements, created by writeBuffer. */
const SIZE = 1024;
const SIZE_FLAG = '1K';

const PHASES = ['creation', 'kernelCpu', 'kernelGpu', 'sync', 'total'] as const;
type Phase = (typeof PHASES)[number];
const BARE_STRATEGIES = ['main', 'fresh', 'persistent'] as const;
type BareStrategy = (typeof BARE_STRATEGIES)[number];
const RATIOS = ['fresh', 'persistent'] as const;

/** Agreement asked of wgprof against the bare program: main's phases, and the vsMain ratios. */
const PHASE_ALLOWANCE = 0.1;
const RATIO_ALLOWANCE = 0.15;

/** What bare-op.js prints (its one JSON line). */
export interface BareReport {
  readonly program: 'bare-op';
  readonly strategy: BareStrategy;
  readonly size: number;
  readonly warmup: number;
  readonly ops: number;
  readonly medianNs: Readonly<Record<Phase, number | null>>;
  readonly freshNs?: {
    readonly spawn: number | null;
    readonly init: number | null;
    readonly teardown: number | null;
  };
  readonly environment: Readonly<Record<string, string | number | boolean>>;
}

/** Longer than any run of the full plan takes: a program that hangs fails the row instead of the bench. */
const RUN_TIMEOUT_MS = 600_000;

/** Runs `node ARGS` as a user would (no execArgv, the environment as it is); returns its stdout. */
async function runNode(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    const last = stderr.trim().split('\n').slice(-2).join(' | ');
    throw new Error(`node ${args.join(' ')} exited with ${signal ?? code}: ${last}`);
  }
  return stdout;
}

async function runBare(strategy: BareStrategy, plan: BenchPlan['yardstick']): Promise<BareReport> {
  const args = ['--strategy', strategy, '--size', String(SIZE), '--ops', String(plan.ops)];
  const stdout = await runNode([BARE, ...args, '--warmup', String(plan.warmup)]);
  // Its one JSON line; anything native that reached stdout before it is skipped.
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"program":"bare-op"'));
  if (!line) throw new Error(`bare-op --strategy ${strategy} printed no report`);
  return JSON.parse(line) as BareReport;
}

async function runWgprof(plan: BenchPlan['yardstick']): Promise<ProfileResult> {
  const stdout = await runNode([
    CLI,
    'profile',
    '--strategy',
    'main,fresh,persistent',
    '--kernel',
    'scale',
    '--size',
    SIZE_FLAG,
    // As many ops per measuring process as each bare process runs: --ops is the total over the
    // replicates, and with --ops 100 each of wgprof's processes ran a third of a bare process's
    // ops, on a device and JavaScript that had run less: not like with like.
    '--replicates',
    String(plan.bareProcesses),
    '--ops',
    String(plan.ops * plan.bareProcesses),
    '--warmup',
    String(plan.warmup),
    '--json',
    '--no-save',
    '--quiet',
  ]);
  return JSON.parse(stdout) as ProfileResult;
}

interface Round {
  /** Each strategy's bare processes in this round: one for fresh, `bareProcesses` for the others. */
  readonly bare: Readonly<Record<BareStrategy, readonly BareReport[]>>;
  readonly wgprof: ProfileResult;
  readonly order: readonly string[];
}

/**
 * K rounds, each running the bare program under every strategy and wgprof's CLI once, the order
 * rotating from round to round so that drift and what ran just before fall on all of them alike.
 * A lavapipe device keeps the speed it started at for its life (webgpu-facts.md), and wgprof pools
 * each scenario over several measuring processes (--replicates): so the bare main and persistent
 * runs are `bareProcesses` processes each, back to back, and the round's figure is their median.
 * Fresh opens a new device for every op already.
 */
async function runRounds(plan: BenchPlan['yardstick']): Promise<Round[]> {
  const arms = [...BARE_STRATEGIES, 'wgprof'] as const;
  const rounds: Round[] = [];
  for (let r = 0; r < plan.rounds; r++) {
    const bare: Partial<Record<BareStrategy, BareReport[]>> = {};
    let wgprof: ProfileResult | undefined;
    const order: string[] = [];
    for (let k = 0; k < arms.length; k++) {
      const arm = arms[(r + k) % arms.length] ?? 'wgprof';
      order.push(arm);
      if (arm === 'wgprof') {
        wgprof = await runWgprof(plan);
        continue;
      }
      const reports: BareReport[] = [];
      const processes = arm === 'fresh' ? 1 : plan.bareProcesses;
      for (let p = 0; p < processes; p++) reports.push(await runBare(arm, plan));
      bare[arm] = reports;
    }
    const { main, fresh, persistent } = bare;
    if (!wgprof || !main || !fresh || !persistent) throw new Error('a round missed one of its runs');
    rounds.push({ bare: { main, fresh, persistent }, wgprof, order });
  }
  return rounds;
}

function wgprofRun(result: ProfileResult, label: string): ProfileResult['runs'][number] {
  const run = result.runs.find((r) => r.label === label);
  if (!run) throw new Error(`wgprof's result has no '${label}' run`);
  return run;
}

/** Each scenario's phase medians and vsMain from one wgprof result: the round's figures, kept. */
function wgprofMedians(result: ProfileResult): Record<string, Record<string, number | null>> {
  return Object.fromEntries(
    result.runs.map((run) => [
      run.label,
      {
        ...Object.fromEntries(Object.entries(run.summary).map(([key, s]) => [key, s.median])),
        vsMain: run.vsMain?.estimate ?? null,
      },
    ]),
  );
}

const medianOf = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : median(values));

/** A round's bare figure: the median over its processes of each one's median. */
function bareFigure(reports: readonly BareReport[], phase: Phase): number {
  return medianOf(reports.map((r) => r.medianNs[phase] ?? Number.NaN).filter(Number.isFinite));
}

/** One compared figure: wgprof's and the bare program's, pooled over rounds, and how far apart. */
export interface Comparison {
  readonly name: string;
  readonly unit: 'ns' | 'x';
  readonly wgprof: number;
  readonly bare: number;
  /** wgprof / bare. */
  readonly ratio: number;
  readonly allowance: number;
  /** |ratio - 1| / allowance: above 1 is outside it. */
  readonly share: number;
  readonly perRound: { readonly wgprof: readonly number[]; readonly bare: readonly number[] };
}

export function compare(
  name: string,
  unit: Comparison['unit'],
  allowance: number,
  wgprofRounds: readonly number[],
  bareRounds: readonly number[],
): Comparison {
  const wgprof = medianOf(wgprofRounds.filter(Number.isFinite));
  const bare = medianOf(bareRounds.filter(Number.isFinite));
  const ratio = wgprof / bare;
  return {
    name,
    unit,
    wgprof,
    bare,
    ratio,
    allowance,
    share: Math.abs(ratio - 1) / allowance,
    perRound: { wgprof: wgprofRounds, bare: bareRounds },
  };
}

/** Main's phases and the two vsMain ratios, each pooled as the median of the rounds' own figures. */
export function comparisons(rounds: readonly Round[]): Comparison[] {
  const main = PHASES.map((phase) =>
    compare(
      `main ${phase}`,
      'ns',
      PHASE_ALLOWANCE,
      rounds.map((r) => wgprofRun(r.wgprof, 'main').summary[phase]?.median ?? Number.NaN),
      rounds.map((r) => bareFigure(r.bare.main, phase)),
    ),
  );
  const ratios = RATIOS.map((label) =>
    compare(
      `${label} vsMain`,
      'x',
      RATIO_ALLOWANCE,
      rounds.map((r) => wgprofRun(r.wgprof, label).vsMain?.estimate ?? Number.NaN),
      rounds.map((r) => bareFigure(r.bare.main, 'total') / bareFigure(r.bare[label], 'total')),
    ),
  );
  return [...main, ...ratios];
}

const figure = (value: number, unit: Comparison['unit']): Figure => ({ value, unit });

function comparisonTable(items: readonly Comparison[]): DetailTable {
  const pct = (c: Comparison): string => `${((c.ratio - 1) * 100).toFixed(1)}%`;
  return {
    title: 'wgprof against the bare program, median of the rounds',
    header: ['Figure', 'wgprof', 'bare dawn.node', 'wgprof / bare', 'Allowed', 'Within', 'Each round'],
    rows: items.map((c) => {
      const rounds = (values: readonly number[]): string =>
        values.map((v) => formatFigure(figure(v, c.unit))).join(', ');
      return [
        c.name,
        formatFigure(figure(c.wgprof, c.unit)),
        formatFigure(figure(c.bare, c.unit)),
        `${c.ratio.toFixed(3)}x (${pct(c)})`,
        `${(c.allowance * 100).toFixed(0)}%`,
        c.share <= 1 ? 'yes' : 'no',
        `wgprof ${rounds(c.perRound.wgprof)}; bare ${rounds(c.perRound.bare)}`,
      ];
    }),
  };
}

/** Fresh's total, split as wgprof and the bare program each split it (medians of the rounds). */
function freshSplit(rounds: readonly Round[]): Record<string, { wgprof: number; bare: number }> {
  const split: Record<string, { wgprof: number; bare: number }> = {};
  for (const phase of ['spawn', 'init', 'creation', 'kernelCpu', 'sync', 'teardown', 'total'] as const) {
    const wgprof = medianOf(rounds.map((r) => wgprofRun(r.wgprof, 'fresh').summary[phase]?.median ?? NaN));
    const bare = medianOf(
      rounds.flatMap((r) =>
        r.bare.fresh.map((report) =>
          phase === 'spawn' || phase === 'init' || phase === 'teardown'
            ? (report.freshNs?.[phase] ?? NaN)
            : (report.medianNs[phase] ?? NaN),
        ),
      ),
    );
    split[phase] = { wgprof, bare };
  }
  return split;
}

function freshTable(split: Record<string, { wgprof: number; bare: number }>): DetailTable {
  return {
    title: 'fresh: where a worker-per-op total goes (medians of the rounds)',
    header: ['Phase', 'wgprof', 'bare dawn.node'],
    rows: Object.entries(split).map(([phase, v]) => [
      phase,
      formatFigure(figure(v.wgprof, 'ns')),
      formatFigure(figure(v.bare, 'ns')),
    ]),
  };
}

/** Each side's own environment, as it reported it (wgprof: its result's; bare: its JSON line's). */
function environments(rounds: readonly Round[]): {
  wgprof: Record<string, unknown>;
  bare: Record<string, unknown>;
} {
  const first = rounds[0];
  if (!first) return { wgprof: {}, bare: {} };
  const { environment: env, device } = first.wgprof;
  const arenas = process.env.MALLOC_ARENA_MAX;
  return {
    wgprof: {
      node: env.node,
      platform: `${env.os.platform} ${env.os.arch}`,
      cpus: env.cpu.cores,
      // Not in wgprof's result: the environment this row handed both programs alike.
      ...(arenas === undefined ? {} : { mallocArenaMax: arenas }),
      adapter: device.description,
      backend: device.backend,
      timestamps: device.timestamps,
    },
    bare: { ...first.bare.main[0]?.environment },
  };
}

function environmentTable(envs: {
  wgprof: Record<string, unknown>;
  bare: Record<string, unknown>;
}): DetailTable {
  const keys = [...new Set([...Object.keys(envs.wgprof), ...Object.keys(envs.bare)])];
  const cell = (v: unknown): string =>
    v === undefined ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v);
  return {
    title: 'environments, as each program reported its own',
    header: ['', 'wgprof', 'bare dawn.node'],
    rows: keys.map((k) => [k, cell(envs.wgprof[k]), cell(envs.bare[k])]),
  };
}

/**
 * 7a: the yardstick. The same op timed by a program written apart from wgprof (bare-op.js: only
 * webgpu and Node), in plain `node` processes, interleaved with wgprof's real CLI; wgprof's
 * main phases should agree within 10% and its fresh and persistent vsMain within 15%.
 */
export async function yardstickRows(plan: BenchPlan): Promise<CompletedRow[]> {
  const settings = plan.yardstick;
  const rounds = await runRounds(settings);
  const items = comparisons(rounds);
  const worst = items.reduce((a, b) => (b.share > a.share || Number.isNaN(b.share) ? b : a));
  const envs = environments(rounds);
  const split = freshSplit(rounds);
  const outside = items.filter((c) => !(c.share <= 1)).map((c) => c.name);
  const freshInit = split.init;
  const replicates = rounds[0]?.wgprof.isolation?.replicates ?? 1;
  return [
    completedRow({
      id: '7a',
      measure: `yardstick: scale ${SIZE_FLAG}, wgprof vs bare dawn.node (worst: ${worst.name})`,
      wgprof: figure(worst.wgprof, worst.unit),
      baseline: figure(worst.bare, worst.unit),
      ratio: figure(worst.ratio, 'x'),
      target: {
        text: `main's phases within ${PHASE_ALLOWANCE * 100}%, vsMain within ${RATIO_ALLOWANCE * 100}%: worst deviation / allowance <= 1`,
        direction: 'at-most',
        limit: 1,
        checked: figure(worst.share, 'x'),
      },
      note:
        `${settings.rounds} interleaved round${settings.rounds === 1 ? '' : 's'} of bare-op.js (imports only webgpu) under main, fresh and persistent ` +
        `and \`wgprof profile --strategy main,fresh,persistent\`, each a plain node process ` +
        `(bare main and persistent: ${settings.bareProcesses} a round, a device each; wgprof: ${replicates} measuring processes per scenario), ` +
        `${settings.ops} ops and ${settings.warmup} warm-up ops per process (wgprof: --ops ${settings.ops * replicates} over its ${replicates}); each figure is the median of the rounds' own medians ` +
        `(vsMain = median main total / median scenario total, per round). Worst: ${worst.name}, ` +
        `${worst.ratio.toFixed(3)}x the bare figure (allowed ${worst.allowance * 100}%)` +
        (outside.length > 0 ? `; outside its allowance: ${outside.join(', ')}.` : '; every figure within.') +
        (freshInit
          ? ` A fresh worker's init (adapter, device, compiling, and what the worker loads first): ` +
            `wgprof ${formatFigure(figure(freshInit.wgprof, 'ns'))}, bare ${formatFigure(figure(freshInit.bare, 'ns'))}.`
          : ''),
      details: {
        pooling: "median of the rounds' own medians; a bare round's figure is the median over its processes",
        bareProcesses: settings.bareProcesses,
        size: SIZE,
        ops: settings.ops,
        warmup: settings.warmup,
        rounds: settings.rounds,
        order: rounds.map((r) => r.order),
        comparisons: items,
        fresh: split,
        environments: envs,
        bare: rounds.map((r) => r.bare),
        wgprof: rounds.map((r) => wgprofMedians(r.wgprof)),
      },
      tables: [comparisonTable(items), freshTable(split), environmentTable(envs)],
    }),
  ];
}
