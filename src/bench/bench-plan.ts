/**
 * How much each row measures: the full bench (23 minutes on a 2-core VM on 2026-12-02, 5 of them row 6 and 5 row 11;
 * rows 12 to 14 came after, row 13 about 8 minutes more by the estimate at its plan, row 14 about 1) and `--quick`
 * (seconds: it checks that every row still runs, and its figures mean little). All counts in one place.
 */
export interface BenchPlan {
  readonly mode: 'full' | 'quick';
  readonly recording: {
    /** CPU no-op: blocks per arm and ops per block (measureRecordingCost). */
    readonly cpuBlocks: number;
    readonly cpuOpsPerBlock: number;
    /** GPU noop on the main thread: interleaved rounds, ops per block. */
    readonly gpuRounds: number;
    readonly gpuOpsPerBlock: number;
  };
  readonly handoff: {
    /** Fresh threads each session: where the scheduler places a thread shifts a session's figures. */
    readonly sessions: number;
    /** Interleaved rounds in all sessions together, ops per block. */
    readonly rounds: number;
    readonly opsPerBlock: number;
  };
  readonly throughput: { readonly ops: number };
  readonly memory: {
    /** Ops appended to one RecordStore. */
    readonly recordedOps: number;
    /** Profile runs in one process, after one warm-up run; at least 3 for the fit. */
    readonly profileRuns: number;
    /** --ops of each of those runs. */
    readonly profileOps: number;
  };
  readonly wallTime: {
    /** Arguments of the "default" profile run (the full bench runs the real default). */
    readonly defaultArgs: readonly string[];
    /** --ops of the sweep on noop; each value run `sweepRepeats` times. */
    readonly sweepOps: readonly number[];
    readonly sweepRepeats: number;
  };
  readonly coverage: {
    /** Independent repeats of the profile: one `wgprof profile` process each, one after another. */
    readonly repeats: number;
    /** Arguments of each repeat (the full bench runs the real default: none). */
    readonly args: readonly string[];
    /** A folder to keep each repeat's JSON result in (`bench --raw-dir`); kept nowhere if absent. */
    readonly rawDir?: string;
  };
  readonly yardstick: {
    /** Interleaved rounds: each runs the bare program under every strategy and wgprof once. */
    readonly rounds: number;
    /** --ops and --warmup of every run, bare and wgprof alike (fresh: one worker per op). */
    readonly ops: number;
    readonly warmup: number;
    /** Processes of the bare program per round for main and persistent (one device each). */
    readonly bareProcesses: number;
    /**
     * Alternating pairs of one bare main process and one wgprof main measuring process, for
     * main's phases: a process's figures move by tens of percent with the machine's state, which
     * changes over seconds, so only many short pairs side by side resolve 10%.
     */
    readonly mainPairs: number;
  };
  readonly isolation: {
    /** Alternating pairs of one `--strategy main` run and one full-set run of the same profile. */
    readonly pairs: number;
    /** Arguments of both runs of a pair (the alone run adds --strategy main). */
    readonly args: readonly string[];
  };
  readonly instrumentation: {
    /**
     * Interleaved rounds: each runs a block of every arm (bare, the op writing its own timestamps,
     * instrumented; at 1 and 8 passes).
     */
    readonly rounds: number;
    /** Timed ops per block, after `settleOps` untimed ones (the first calls after the prototypes changed). */
    readonly opsPerBlock: number;
    readonly settleOps: number;
  };
  readonly apiMemory: {
    /** Calls of the API's profile in one process; the fit takes calls 11 to the last, so at least 13. */
    readonly calls: number;
    /** --ops of each call (noop 1K on main, 2 warm-up ops, one replicate). */
    readonly ops: number;
  };
  readonly traceCalls: {
    /** Interleaved rounds: each runs a block of every arm (bare, the loop writing its own timestamps, traced). */
    readonly rounds: number;
    /** Timed ops per block (an op: 12 WebGPU calls), after `settleOps` untimed ones. */
    readonly opsPerBlock: number;
    readonly settleOps: number;
  };
  readonly timingCost: {
    /**
     * Built-in kernels profiled on --strategy main at each size, one `wgprof profile` run each;
     * the first of each size is its row's headline (12a: 1K, 12b: 1M).
     */
    readonly kernels: { readonly '1K': readonly string[]; readonly '1M': readonly string[] };
    /** --ops (timed and untimed together) and --replicates of every run, the op module's too. */
    readonly ops: number;
    readonly replicates: number;
  };
  readonly trace: {
    /** Rounds of one bare and one traced run of examples/tfjs-app.mjs, which first alternating. */
    readonly rounds: number;
    /** Untimed rounds before them (the first runs load TF.js and dawn.node from a cold disk cache). */
    readonly warmupRounds: number;
    /** Matmuls per thread of each run (the example's first argument). */
    readonly matmuls: number;
  };
  readonly verdicts: {
    /** Runs of the short profile (the full bench: the real default, no arguments), one process each. */
    readonly shortRuns: number;
    readonly shortArgs: readonly string[];
    /** The long run, whose verdicts the short runs' are compared with. */
    readonly longArgs: readonly string[];
    /** The long run goes after this many short runs, so that it is at neither end of the row's drift. */
    readonly longAfter: number;
  };
  readonly history: {
    /** Copies of the profiles' results in the folder `wgprof history` reads. */
    readonly results: number;
    /** Timed runs of each form (the terminal view, the HTML page). */
    readonly repeats: number;
    /** `wgprof profile` arguments of each real result copied (alternately). */
    readonly profiles: readonly (readonly string[])[];
  };
  readonly peak: {
    /** `wgprof peak`'s short sweep and budgets (measurePeak's `quick`) instead of its default run. */
    readonly quickPeak: boolean;
    /** Timed copies of the independent CPU copy, of each kind (Buffer.copy, TypedArray.set), after `copyWarmup` untimed. */
    readonly copies: number;
    readonly copyWarmup: number;
    /** 14b: the built-in kernels profiled on --strategy main, each with its --size, one `wgprof profile` run each. */
    readonly kernels: readonly { readonly kernel: string; readonly size: string }[];
    /** --ops and --replicates of every 14b run; `profileArgs` added to each. */
    readonly ops: number;
    readonly replicates: number;
    readonly profileArgs: readonly string[];
  };
}

/** Row 15's full-plan profile: copied alternately with and without replicates. */
const HISTORY_PROFILE = [
  '--kernel',
  'scale',
  '--size',
  '64K',
  '--strategy',
  'main,persistent',
  '--ops',
  '60',
];

export const FULL_PLAN: BenchPlan = {
  mode: 'full',
  recording: { cpuBlocks: 400, cpuOpsPerBlock: 1000, gpuRounds: 400, gpuOpsPerBlock: 25 },
  handoff: { sessions: 3, rounds: 120, opsPerBlock: 50 },
  throughput: { ops: 10_000 },
  memory: { recordedOps: 1_000_000, profileRuns: 6, profileOps: 40 },
  wallTime: { defaultArgs: [], sweepOps: [100, 200, 400, 800], sweepRepeats: 1 },
  // Five default profiles of up to about 70 s each: this row alone takes about 6 minutes.
  coverage: { repeats: 5, args: [] },
  // Three rounds of 8 processes (fresh: 100 workers on each side) took 2 min 17 s here, and with
  // 24 pairs of main processes between them (0.3 s bare, 1 s wgprof) 2 min 39-46 s.
  yardstick: { rounds: 3, ops: 100, warmup: 20, bareProcesses: 3, mainPairs: 24 },
  // The check, scale 1K --ops 200: the 8 pairs took 320 s here.
  isolation: { pairs: 8, args: ['--kernel', 'scale', '--size', '1K', '--ops', '200'] },
  // About 40 s: 150 rounds of six blocks of 105 ops.
  instrumentation: { rounds: 150, opsPerBlock: 100, settleOps: 5 },
  // About 50 s: a call takes about 0.45 s here, and each reading waits 100 ms.
  apiMemory: { calls: 50, ops: 20 },
  // About 45 s: a run of the example takes about 0.7 s here (2 s when another job has the cores).
  trace: { rounds: 30, warmupRounds: 1, matmuls: 20 },
  traceCalls: { rounds: 150, opsPerBlock: 100, settleOps: 5 },
  // 80 s here (2026-12-06, another job sharing the 2 cores): nine runs of 4 processes, 1M's ops
  // 16-24 ms each. matmul only at 1K: at 1M (1,024 x 1,024) one op took 3.9 s here (median), a
  // run of --ops 100 413 s.
  timingCost: {
    kernels: { '1K': ['scale', 'noop', 'add', 'matmul'], '1M': ['scale', 'noop', 'add'] },
    ops: 200,
    replicates: 4,
  },
  // Not timed as a whole yet; from its parts, about 8 minutes: ten default profiles of about 35 s
  // each (a default run that never settles takes its 60 s budget and more) and one of up to 120 s,
  // the long one after the fifth short one.
  verdicts: { shortRuns: 10, shortArgs: [], longArgs: ['--time-budget', '120s'], longAfter: 5 },
  // Issue 26's case: 1,000 results, alternating a profile with replicates (the default) and one
  // without (compared op against op: the slower kind of step, 9 s before history drew its
  // bootstrap medians from their order-statistic distribution).
  history: {
    results: 1000,
    repeats: 5,
    profiles: [HISTORY_PROFILE, [...HISTORY_PROFILE, '--replicates', '1']],
  },
  // About a minute: a default peak (10 s here), 100 + 100 copies of 64 MiB (3 s), five profiles
  // (reduce_sum 1M: 113-143 ms an op here, matmul 64K: 54-90 ms). One replicate: 14b asks whether
  // a rate is possible at all, and with 2 the CI spans both processes with a t quantile of 12.7
  // (scale 1M's GPU time [1.02, 107] ms on 2026-12-06), too wide to catch a share above 100%.
  peak: {
    quickPeak: false,
    copies: 100,
    copyWarmup: 5,
    kernels: [
      { kernel: 'fill', size: '1M' },
      { kernel: 'scale', size: '1M' },
      { kernel: 'add', size: '1M' },
      { kernel: 'reduce_sum', size: '1M' },
      { kernel: 'matmul', size: '64K' },
    ],
    ops: 40,
    replicates: 1,
    profileArgs: [],
  },
};

const QUICK_HISTORY_PROFILE = ['--kernel', 'noop', '--size', '1K', '--strategy', 'main', '--ops', '10'];

export const QUICK_PLAN: BenchPlan = {
  mode: 'quick',
  recording: { cpuBlocks: 10, cpuOpsPerBlock: 200, gpuRounds: 4, gpuOpsPerBlock: 5 },
  handoff: { sessions: 1, rounds: 3, opsPerBlock: 5 },
  throughput: { ops: 20 },
  memory: { recordedOps: 100_000, profileRuns: 3, profileOps: 3 },
  // The real default profile runs for up to a minute: quick mode gives it a small budget.
  wallTime: { defaultArgs: ['--time-budget', '2s'], sweepOps: [2, 4, 8], sweepRepeats: 1 },
  coverage: { repeats: 2, args: ['--time-budget', '2s', '--size', '1K'] },
  // 40 ops: wgprof estimates its cost of timing from 5 ops of each kind at least (MIN_COST_OPS),
  // and times them in blocks of 8 (one block timed in 16).
  yardstick: { rounds: 1, ops: 40, warmup: 2, bareProcesses: 1, mainPairs: 2 },
  isolation: { pairs: 2, args: ['--kernel', 'scale', '--size', '1K', '--ops', '10', '--replicates', '1'] },
  instrumentation: { rounds: 4, opsPerBlock: 20, settleOps: 2 },
  apiMemory: { calls: 13, ops: 5 },
  trace: { rounds: 1, warmupRounds: 0, matmuls: 2 },
  traceCalls: { rounds: 4, opsPerBlock: 20, settleOps: 2 },
  // 40 ops: two and a half periods of 8 untimed and 8 timed ops, at least 5 of each kind, the
  // least wgprof estimates a cost from (MIN_COST_OPS).
  timingCost: {
    kernels: { '1K': ['scale', 'noop', 'add', 'matmul'], '1M': ['scale', 'noop', 'add'] },
    ops: 40,
    replicates: 1,
  },
  // Checks that the row runs: 1K and budgets of seconds, so its verdicts mean little.
  verdicts: {
    shortRuns: 2,
    shortArgs: ['--time-budget', '4s', '--size', '1K'],
    longArgs: ['--time-budget', '8s', '--size', '1K'],
    longAfter: 1,
  },
  history: {
    results: 30,
    repeats: 1,
    profiles: [
      [...QUICK_HISTORY_PROFILE, '--replicates', '2'],
      [...QUICK_HISTORY_PROFILE, '--replicates', '1'],
    ],
  },
  // Checks that the row runs: a quick peak (1 and 4 MiB, in the caches) and every kernel at 1K.
  peak: {
    quickPeak: true,
    copies: 10,
    copyWarmup: 2,
    kernels: ['fill', 'scale', 'add', 'reduce_sum', 'matmul'].map((kernel) => ({ kernel, size: '1K' })),
    ops: 10,
    replicates: 1,
    profileArgs: ['--warmup', '2'],
  },
};
