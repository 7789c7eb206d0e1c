import { fileURLToPath } from 'node:url';
import type { ProfileResult } from '../../results/result-types.js';
import { median, quantile } from '../../statistics/index.js';
import type { BenchPlan } from '../bench-plan.js';
import type { CompletedRow, DetailTable, Figure } from '../bench-types.js';
import { pairedRatio } from '../paired-ratio.js';
import { profileJson, runNode } from '../profile-json.js';
import { formatFigure } from '../render.js';
import { pairedCost, type Interval, type PairedCost } from '../timing-cost.js';
import { completedRow } from '../verdict.js';
import { DEFAULT_BLOCK, type FirstBlock } from '../yardstick/blocks.js';

// The built program, as a user runs it: three levels up is the repository from src/ and dist/ alike.
const BARE = fileURLToPath(new URL('../../../dist/bench/yardstick/bare-op.js', import.meta.url));

/** The op both sides run: wgprof's built-in `scale` at 1,024 f32 elements, created by writeBuffer. */
const SIZE = 1024;
const SIZE_FLAG = '1K';

const PHASES = ['creation', 'kernelCpu', 'kernelGpu', 'sync', 'total'] as const;
type Phase = (typeof PHASES)[number];
const BARE_STRATEGIES = ['main', 'fresh', 'persistent'] as const;
type BareStrategy = (typeof BARE_STRATEGIES)[number];
const RATIOS = ['fresh', 'persistent'] as const;

/** How bare-op.js splits its counted ops: in blocks of this many (at most half of --ops). */
const BLOCK = DEFAULT_BLOCK;

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
  /** The untimed ops' CPU phases and total; kernelGpu: the timed ops' passes. */
  readonly medianNs: Readonly<Record<Phase, number | null>>;
  /** The timed ops' CPU phases and total. */
  readonly timedMedianNs: Readonly<Record<Exclude<Phase, 'kernelGpu'>, number | null>>;
  /** How the counted ops were split, and the program's own cost of timing (timed total - untimed total, medians). */
  readonly timing: {
    readonly block: number;
    readonly first: FirstBlock;
    readonly untimedOps: number;
    readonly timedOps: number;
    readonly costNs: number | null;
  };
  readonly freshNs?: {
    readonly spawn: number | null;
    readonly init: number | null;
    readonly teardown: number | null;
  };
  readonly environment: Readonly<Record<string, string | number | boolean>>;
}

/**
 * One bare process; `first` is the kind of its first block of counted ops, alternated by the
 * callers from process to process so that neither kind always runs earlier in a process.
 */
async function runBare(
  strategy: BareStrategy,
  plan: BenchPlan['yardstick'],
  first: FirstBlock,
): Promise<BareReport> {
  const args = ['--strategy', strategy, '--size', String(SIZE), '--ops', String(plan.ops)];
  const split = ['--block', String(BLOCK), '--first', first];
  const { stdout } = await runNode([BARE, ...args, '--warmup', String(plan.warmup), ...split]);
  // Its one JSON line; anything native that reached stdout before it is skipped.
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"program":"bare-op"'));
  if (!line) throw new Error(`bare-op --strategy ${strategy} printed no report`);
  return JSON.parse(line) as BareReport;
}

/** `wgprof profile` on the yardstick's op, as a user would start it, with these strategies. */
async function runWgprof(
  strategies: string,
  replicates: number,
  ops: number,
  warmup: number,
): Promise<ProfileResult> {
  const run = await profileJson([
    '--strategy',
    strategies,
    '--kernel',
    'scale',
    '--size',
    SIZE_FLAG,
    '--replicates',
    String(replicates),
    '--ops',
    String(ops),
    '--warmup',
    String(warmup),
  ]);
  return run.result;
}

/**
 * The rounds' wgprof run: as many ops per measuring process as each bare process runs. --ops is
 * the total over the replicates, and with --ops 100 each of wgprof's processes ran a third of a
 * bare process's ops, on a device and JavaScript that had run less: not like with like.
 */
function runWgprofRound(plan: BenchPlan['yardstick']): Promise<ProfileResult> {
  return runWgprof('main,fresh,persistent', plan.bareProcesses, plan.ops * plan.bareProcesses, plan.warmup);
}

/**
 * One process of each side, back to back: each one's medians of main's phases (CPU phases and
 * total of untimed ops, kernelGpu of timed ones), ns, and each one's own cost of timing.
 */
export interface MainPair {
  readonly first: 'bare' | 'wgprof';
  readonly bare: Readonly<Record<Phase, number>>;
  readonly wgprof: Readonly<Record<Phase, number>>;
  /** A timed op's median total minus an untimed op's, ns (wgprof: its timing.costNs estimate). */
  readonly costNs: { readonly bare: number | null; readonly wgprof: number | null };
}

const phaseMedians = (read: (phase: Phase) => number | null | undefined): Record<Phase, number> =>
  Object.fromEntries(PHASES.map((phase) => [phase, read(phase) ?? Number.NaN])) as Record<Phase, number>;

/**
 * Main's phases, pair by pair: one bare main process (one device, `ops` ops) and one wgprof
 * measuring process of main alone (`--replicates 1`, the same ops and warm-up), which first
 * alternating. On a 2-core VM with lavapipe one process's median creation measured 18 to 44 us
 * from run to run of the same program, moving over seconds within one process too: side by side
 * in many short pairs, both sides meet the machine in the same states.
 */
async function runMainPairs(plan: BenchPlan['yardstick'], count: number, from: number): Promise<MainPair[]> {
  const pairs: MainPair[] = [];
  for (let p = from; p < from + count; p++) {
    const first = p % 2 === 0 ? 'bare' : 'wgprof';
    // The bare block order changes every second pair, so that it meets both orders of the pair.
    const bareFirst: FirstBlock = Math.floor(p / 2) % 2 === 0 ? 'untimed' : 'timed';
    const runOne = async (
      side: 'bare' | 'wgprof',
    ): Promise<{ phases: Record<Phase, number>; cost: number | null }> => {
      if (side === 'bare') {
        const report = await runBare('main', plan, bareFirst);
        return { phases: phaseMedians((phase) => report.medianNs[phase]), cost: report.timing.costNs };
      }
      const run = wgprofRun(await runWgprof('main', 1, plan.ops, plan.warmup), 'main');
      return {
        phases: phaseMedians((phase) => run.summary[phase]?.median),
        cost: run.timing?.costNs?.estimate ?? null,
      };
    };
    const a = await runOne(first);
    const b = await runOne(first === 'bare' ? 'wgprof' : 'bare');
    const [bare, wgprof] = first === 'bare' ? [a, b] : [b, a];
    pairs.push({
      first,
      bare: bare.phases,
      wgprof: wgprof.phases,
      costNs: { bare: bare.cost, wgprof: wgprof.cost },
    });
  }
  return pairs;
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
async function runRound(plan: BenchPlan['yardstick'], r: number): Promise<Round> {
  const arms = [...BARE_STRATEGIES, 'wgprof'] as const;
  const bare: Partial<Record<BareStrategy, BareReport[]>> = {};
  let wgprof: ProfileResult | undefined;
  const order: string[] = [];
  for (let k = 0; k < arms.length; k++) {
    const arm = arms[(r + k) % arms.length] ?? 'wgprof';
    order.push(arm);
    if (arm === 'wgprof') {
      wgprof = await runWgprofRound(plan);
      continue;
    }
    const reports: BareReport[] = [];
    const processes = arm === 'fresh' ? 1 : plan.bareProcesses;
    for (let p = 0; p < processes; p++)
      reports.push(await runBare(arm, plan, (r + p) % 2 === 0 ? 'untimed' : 'timed'));
    bare[arm] = reports;
  }
  const { main, fresh, persistent } = bare;
  if (!wgprof || !main || !fresh || !persistent) throw new Error('a round missed one of its runs');
  return { bare: { main, fresh, persistent }, wgprof, order };
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
  /**
   * For paired figures (where `ratio` is the median of the pairs' own ratios): its 95% CI, the
   * pair being the unit, since the machine's state is what a pair's two processes share.
   */
  readonly ci?: { readonly low: number; readonly high: number };
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

/**
 * One phase compared over pairs of processes: each side's figure is the median of its processes'
 * medians; their ratio is the median of the pairs' own ratios, each taken within its pair, where
 * both processes met the machine in the same state (one process's creation measured 18 to 44 us
 * in one run of the row), and its CI is the percentile bootstrap of that median.
 */
export function pairedComparison(
  name: string,
  allowance: number,
  wgprofValues: readonly number[],
  bareValues: readonly number[],
): Comparison {
  const paired = pairedRatio(wgprofValues, bareValues);
  const point = compare(name, 'ns', allowance, paired?.numerators ?? [], paired?.denominators ?? []);
  if (!paired || paired.ratios.length < 2) return point;
  const { ratio, low, high } = paired;
  return { ...point, ratio, share: Math.abs(ratio - 1) / allowance, ci: { low, high } };
}

/** Main's phases over the pairs of processes. */
export function mainComparisons(pairs: readonly MainPair[]): Comparison[] {
  return PHASES.map((phase) =>
    pairedComparison(
      `main ${phase}`,
      PHASE_ALLOWANCE,
      pairs.map((p) => p.wgprof[phase]),
      pairs.map((p) => p.bare[phase]),
    ),
  );
}

/** The two vsMain ratios, each pooled as the median of the rounds' own figures. */
export function ratioComparisons(rounds: readonly Round[]): Comparison[] {
  return RATIOS.map((label) =>
    compare(
      `${label} vsMain`,
      'x',
      RATIO_ALLOWANCE,
      rounds.map((r) => wgprofRun(r.wgprof, label).vsMain?.estimate ?? Number.NaN),
      rounds.map((r) => bareFigure(r.bare.main, 'total') / bareFigure(r.bare[label], 'total')),
    ),
  );
}

/** One line of the cost-of-timing table: a strategy's cost on both sides, over pairs or rounds. */
export interface CostComparison {
  readonly name: string;
  /** What a "pair" is here: two processes side by side (main), or one round (fresh, persistent). */
  readonly over: 'pairs' | 'rounds';
  readonly cost: PairedCost | undefined;
}

/**
 * The cost of timing on both sides: main over the pairs of processes; fresh and persistent over
 * the rounds, a bare round's figure the median of its processes' costs. No allowance: the cost is
 * the device's, paid by both programs; shown so that a gap in wgprof's own way of timing shows.
 */
export function costComparisons(pairs: readonly MainPair[], rounds: readonly Round[]): CostComparison[] {
  const bareRoundCost = (reports: readonly BareReport[]): number =>
    medianOf(reports.map((r) => r.timing.costNs ?? Number.NaN).filter(Number.isFinite));
  return [
    {
      name: 'main cost of timing',
      over: 'pairs',
      cost: pairedCost(
        pairs.map((p) => p.costNs.wgprof),
        pairs.map((p) => p.costNs.bare),
      ),
    },
    ...RATIOS.map((label): CostComparison => ({
      name: `${label} cost of timing`,
      over: 'rounds',
      cost: pairedCost(
        rounds.map((r) => wgprofRun(r.wgprof, label).timing?.costNs?.estimate),
        rounds.map((r) => bareRoundCost(r.bare[label])),
      ),
    })),
  ];
}

/** Where a paired figure's CI lies against its allowance: what more pairs could still change. */
export function decided(c: Comparison): 'within' | 'outside' | 'undecided' {
  if (!c.ci) return c.share <= 1 ? 'within' : 'outside';
  const [low, high] = [1 - c.allowance, 1 + c.allowance];
  if (c.ci.low >= low && c.ci.high <= high) return 'within';
  if (c.ci.low > high || c.ci.high < low) return 'outside';
  return 'undecided';
}

const figure = (value: number, unit: Comparison['unit']): Figure => ({ value, unit });

const pct = (c: Comparison): string => `${((c.ratio - 1) * 100).toFixed(1)}%`;

/** The middle half of a side's process medians, as `p25 to p75`. */
function middleHalf(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '-';
  const at = (q: number): string => formatFigure(figure(quantile(finite, q), 'ns'));
  return `${at(0.25)} to ${at(0.75)}`;
}

/** The cells every comparison table starts with: the figure, both sides, their ratio, the allowance. */
function comparisonCells(c: Comparison, ci?: string): string[] {
  return [
    c.name,
    formatFigure(figure(c.wgprof, c.unit)),
    formatFigure(figure(c.bare, c.unit)),
    `${c.ratio.toFixed(3)}x (${pct(c)})`,
    ...(ci === undefined ? [] : [ci]),
    `${(c.allowance * 100).toFixed(0)}%`,
    c.share <= 1 ? 'yes' : 'no',
  ];
}

function pairsTable(items: readonly Comparison[], pairs: number): DetailTable {
  return {
    title: `main's phases over ${pairs} alternating pairs of processes (wgprof's and the bare program's), each side's figure the median of its processes`,
    header: [
      'Figure',
      'wgprof',
      'bare dawn.node',
      'wgprof / bare (median of the pairs)',
      '95% CI',
      'Allowed',
      'Within',
      'CI',
      'Middle half of the processes',
    ],
    rows: items.map((c) => [
      ...comparisonCells(c, c.ci ? `[${c.ci.low.toFixed(3)}, ${c.ci.high.toFixed(3)}]` : '-'),
      decided(c) === 'undecided' ? 'reaches past the allowance' : `wholly ${decided(c)}`,
      `wgprof ${middleHalf(c.perRound.wgprof)}; bare ${middleHalf(c.perRound.bare)}`,
    ]),
  };
}

const countText = (n: number, what: string): string =>
  `${n} ${n === 1 ? what : what.replace(/^(\w+)/, '$1s')}`;

const nsCell = (value: number | undefined): string =>
  value === undefined ? '-' : formatFigure(figure(value, 'ns'));

/** A value with its CI; the CI left out where one pair or round is all it rests on. */
function intervalCell(i: Interval | undefined, unit: Comparison['unit'], withCi: boolean): string {
  if (!i) return '-';
  if (unit === 'x')
    return `${i.value.toFixed(3)}x${withCi ? ` [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]` : ''}`;
  return `${nsCell(i.value)}${withCi ? ` [${nsCell(i.low)}, ${nsCell(i.high)}]` : ''}`;
}

function costTable(items: readonly CostComparison[]): DetailTable {
  return {
    title:
      "cost of timing: a timed op's median total minus an untimed op's, each program's own (no target: the cost is the device's)",
    header: [
      'Figure',
      'wgprof',
      'bare dawn.node',
      'wgprof - bare (median over the pairs or rounds, 95% CI)',
      'wgprof / bare (median over the pairs or rounds, 95% CI)',
      'Over',
    ],
    rows: items.map((c) => [
      c.name,
      nsCell(c.cost?.wgprofNs),
      nsCell(c.cost?.bareNs),
      intervalCell(c.cost?.differenceNs, 'ns', (c.cost?.pairs ?? 0) >= 2),
      intervalCell(c.cost?.ratio, 'x', (c.cost?.pairs ?? 0) >= 2),
      c.cost ? countText(c.cost.pairs, c.over === 'pairs' ? 'pair of processes' : 'round') : 'no figure',
    ]),
  };
}

function ratiosTable(items: readonly Comparison[]): DetailTable {
  const rounds = (values: readonly number[], unit: Comparison['unit']): string =>
    values.map((v) => formatFigure(figure(v, unit))).join(', ');
  return {
    title: 'vsMain, median of the rounds',
    header: ['Figure', 'wgprof', 'bare dawn.node', 'wgprof / bare', 'Allowed', 'Within', 'Each round'],
    rows: items.map((c) => [
      ...comparisonCells(c),
      `wgprof ${rounds(c.perRound.wgprof, c.unit)}; bare ${rounds(c.perRound.bare, c.unit)}`,
    ]),
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
  // The pairs are spread between the rounds, so that both kinds of figure span the same stretch.
  const rounds: Round[] = [];
  const pairs: MainPair[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    rounds.push(await runRound(settings, r));
    const upTo = Math.round((settings.mainPairs * (r + 1)) / settings.rounds);
    pairs.push(...(await runMainPairs(settings, upTo - pairs.length, pairs.length)));
  }
  const mainItems = mainComparisons(pairs);
  const ratioItems = ratioComparisons(rounds);
  const costItems = costComparisons(pairs, rounds);
  const mainCost = costItems[0]?.cost;
  const items = [...mainItems, ...ratioItems];
  const undecided = mainItems.filter((c) => decided(c) === 'undecided').map((c) => c.name);
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
        `Both programs time the GPU on some ops only and take their CPU phases and totals from the others, as a user's program runs them: ` +
        `wgprof alternates blocks of 8 untimed and 8 timed ops (--gpu-time sample; the first untimed op after timed ones in no figure), bare-op.js in blocks of ${BLOCK} ops, at most half the ops (which kind first alternating from process to process); ` +
        `each side's kernelGpu is its timed ops' passes. ` +
        `Main's phases: ${pairs.length} alternating pairs of one bare-op.js main process and one \`wgprof profile --strategy main --replicates 1\` ` +
        `(${settings.ops} ops and ${settings.warmup} warm-up ops each); each side's figure is the median of its processes' medians, ` +
        `wgprof / bare the median of the pairs' own ratios, its 95% CI a bootstrap of that median` +
        (undecided.length > 0
          ? ` (reaching past the allowance: ${undecided.join(', ')}; more pairs would tell)`
          : '') +
        `. vsMain: ${settings.rounds} interleaved round${settings.rounds === 1 ? '' : 's'} of bare-op.js (imports only webgpu) under main, fresh and persistent ` +
        `and \`wgprof profile --strategy main,fresh,persistent\`, each a plain node process ` +
        `(bare main and persistent: ${settings.bareProcesses} a round, a device each; wgprof: ${replicates} measuring processes per scenario), ` +
        `${settings.ops} ops and ${settings.warmup} warm-up ops per process (wgprof: --ops ${settings.ops * replicates} over its ${replicates}); each figure is the median of the rounds' own medians ` +
        `(vsMain = median main total / median scenario total, per round). Worst: ${worst.name}, ` +
        `${worst.ratio.toFixed(3)}x the bare figure (allowed ${worst.allowance * 100}%)` +
        (outside.length > 0 ? `; outside its allowance: ${outside.join(', ')}.` : '; every figure within.') +
        (freshInit
          ? ` A fresh worker's init (adapter, device, compiling, and what the worker loads first): ` +
            `wgprof ${formatFigure(figure(freshInit.wgprof, 'ns'))}, bare ${formatFigure(figure(freshInit.bare, 'ns'))}.`
          : '') +
        (mainCost
          ? ` Cost of timing on main (no target): wgprof ${nsCell(mainCost.wgprofNs)}, bare ${nsCell(mainCost.bareNs)}, ` +
            `wgprof - bare ${intervalCell(mainCost.differenceNs, 'ns', mainCost.pairs >= 2)} over ${countText(mainCost.pairs, 'pair')}.`
          : ' Cost of timing on main: no pair had it on both sides.'),
      details: {
        pooling:
          "main's phases: median of each side's process medians over the pairs, CI by resampling pairs; " +
          "vsMain: median of the rounds' own figures, a bare round's figure the median over its processes",
        mainPairs: pairs,
        bareProcesses: settings.bareProcesses,
        size: SIZE,
        ops: settings.ops,
        warmup: settings.warmup,
        rounds: settings.rounds,
        order: rounds.map((r) => r.order),
        comparisons: items,
        timingCost: costItems,
        fresh: split,
        environments: envs,
        bare: rounds.map((r) => r.bare),
        wgprof: rounds.map((r) => wgprofMedians(r.wgprof)),
      },
      tables: [
        pairsTable(mainItems, pairs.length),
        ratiosTable(ratioItems),
        costTable(costItems),
        freshTable(split),
        environmentTable(envs),
      ],
    }),
  ];
}
