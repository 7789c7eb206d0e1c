import type { ProfileConfig } from '../config/profile-config.js';
import { MIN_STEADY_OPS } from '../measurement/stopping-rule.js';
import { couldSettle, verdictSettled, type Speedup } from '../measurement/versus-main.js';
import type { ProfileResult, StrategyResult } from '../results/result-types.js';
import { expandScenarios, type Scenario } from '../strategies/scenario.js';
import { assembleReplicatedProfile } from './assemble-result.js';
import { Interrupts } from './interrupts.js';
import { pooledTotal, pooledVersusMain, poolReplicates, type ReplicateEntry } from './pool-replicates.js';
import type { MeasuringRequest, Progress, ReplicateRequest } from './protocol.js';
import { MeasuringProcessDied, runInChild, type ChildOptions } from './run-in-child.js';
import { settle } from './settle.js';

/**
 * How a profile is run so that no scenario changes another's figures: each scenario's ops run
 * in a measuring process of its own, one process at a time, after the machine has gone quiet;
 * the schedule goes round the scenarios (each round in another order), and each round is a
 * replicate: a new process and device per scenario. Measured on lavapipe, sharing a process let
 * fresh workers' aftermath slow main's ops by 70% and its GPU time threefold, and one device's
 * speed for its life (one of two, on lavapipe) decided the comparison; replicates put that
 * variance into the CIs instead.
 */

/** Main-thread ops at the start of every measuring process: the interference probe. */
export const PROBE_OPS = 8;
/** The longest the settle step waits for a quiet machine before a process starts, ms. */
export const SETTLE_MAX_MS = 1500;
/** Rounds the schedule may add, past --replicates, while a verdict is unsettled and time is left. */
export const MAX_REPLICATES_ADAPTIVE = 10;

export interface ProfileOutcome {
  readonly result: ProfileResult;
  readonly nativeMessages: string[];
  /** A measuring process that died mid-run: what came before it is in the result. */
  readonly died?: { readonly scenario: string; readonly error: MeasuringProcessDied };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Round `round`'s order: the scenarios taken with a stride that changes each round (1, then the
 * next stride coprime to their count, ...), from a start that moves by one. A rotation alone
 * would keep every scenario behind the same one in every round, and the interference probe
 * would then see each scenario's aftermath on one other only.
 */
export function orderOf<T>(scenarios: readonly T[], round: number): T[] {
  const n = scenarios.length;
  if (n <= 2)
    return [...scenarios.slice(round % Math.max(1, n)), ...scenarios.slice(0, round % Math.max(1, n))];
  const strides = Array.from({ length: n - 1 }, (_, i) => i + 1).filter((s) => gcd(s, n) === 1);
  const stride = strides[round % strides.length] ?? 1;
  return Array.from({ length: n }, (_, i) => scenarios[(round + i * stride) % n] as T);
}

/**
 * A scenario's verdict is settled when its `vs main` CI lies in one verdict's region (faster,
 * fine: inside the negligible band, costs, avoid; measurement/versus-main.ts's verdictSettled):
 * more replicates would not change what the verdict says. A scenario without main beside it (or
 * main alone) has no verdict: it is settled when its pooled median is known to --max-noise.
 */
export function isSettled(
  total: { median: number; low: number; high: number } | undefined,
  vsMain: Speedup | undefined,
  maxNoise: number,
  everyOpCold = false,
): boolean {
  if (vsMain) return verdictSettled(vsMain, everyOpCold);
  return total !== undefined && total.median > 0 && (total.high - total.low) / 2 / total.median <= maxNoise;
}

/**
 * The share of --time-budget the --replicates rounds may take together: when every verdict is
 * settled after them the run ends there, and the rest is for extra rounds of the scenarios whose
 * verdict is not (a verdict far from every threshold decided in half the budget what the whole
 * budget used to spend).
 */
export const FIRST_ROUNDS_SHARE = 0.5;

/**
 * What a measuring process is taken to cost beyond its share of the budget before the first one
 * has been measured (its start, device, probe and exit): with none assumed, the first round's
 * processes took the whole first-rounds budget's share and the last round's had their warm-ups
 * cut short.
 */
export const INITIAL_OVERHEAD_MS = 1000;

/** The least share of the budget a process of the --replicates rounds gets, while the budget has it. */
export const MIN_PROCESS_SHARE_MS = 1000;

/**
 * What one more measuring process of a scenario would take, ms, judged from its replicates so
 * far: a process's own cost beyond its scenario (`overheadMs`: start, device, probe, exit), the
 * scenario's longest start (workers, warm-up), and `minOps` ops at its pace so far.
 */
export function nextProcessMs(own: readonly ReplicateEntry[], overheadMs: number, minOps: number): number {
  const ops = own.reduce((n, e) => n + e.measured.run.opsOk, 0);
  const elapsed = own.reduce((ms, e) => ms + e.measured.rounds.elapsedMs, 0);
  const start = Math.max(0, ...own.map((e) => e.measured.start.ms));
  return overheadMs + start + (ops > 0 ? (elapsed / ops) * minOps : 0);
}

/**
 * Whether a round past --replicates fits in the time left: every process of it must have time to
 * start, warm up and measure a few ops. A round begun with the budget spent ran each process
 * cold (no warm-up op, one chunk): on lavapipe those replicates measured 6-26% slower than the
 * median of the same scenario's others, and split every scenario's replicates.
 */
export function extraRoundFits(leftMs: number, processMs: readonly number[]): boolean {
  return leftMs >= processMs.reduce((a, b) => a + b, 0);
}

export async function runReplicatedProfile(
  request: MeasuringRequest,
  options: Pick<ChildOptions, 'verbose' | 'onNativeLine' | 'interrupts'> & {
    onProgress?: (p: Progress) => void;
  } = {},
): Promise<ProfileOutcome> {
  const config: ProfileConfig = request.config;
  const scenarios = expandScenarios(config.strategies, config.handoffs, config.poolSizes);
  // No replicate is left without an op: --ops 2 runs two replicates, however many were asked for.
  const minRounds = Math.min(config.replicates ?? 1, config.ops ?? Number.POSITIVE_INFINITY);
  const maxRounds = config.ops === undefined ? Math.max(minRounds, MAX_REPLICATES_ADAPTIVE) : minRounds;
  // --ops N is N in all: split over the replicates, the first ones taking the remainder.
  const opsOf = (round: number): number | undefined =>
    config.ops === undefined
      ? undefined
      : Math.floor(config.ops / minRounds) + (round < config.ops % minRounds ? 1 : 0);
  const minCount = Math.ceil(MIN_STEADY_OPS / minRounds);
  const origin = process.hrtime.bigint();
  const started = Date.now();
  const deadline = started + config.timeBudgetMs;
  const firstRoundsEnd = started + config.timeBudgetMs * FIRST_ROUNDS_SHARE;
  const entries = new Map<string, ReplicateEntry[]>(scenarios.map((s) => [s.label, []]));
  const nativeMessages: string[] = [];
  // The CLI's handle Ctrl-C; the API's are the caller's, and stop only when asked.
  const interrupts = options.interrupts ?? new Interrupts().install();
  let stoppedBy: ProfileResult['rounds']['stoppedBy'] | undefined;
  let died: ProfileOutcome['died'];
  let previous: string | undefined;
  let processes = 0;
  /** What a process costs beyond its measuring (start, device, warm-up, probe), ms, as measured. */
  // Until the first process has been measured: a process starts node, loads dawn.node, opens a
  // device, runs its probe and exits beyond its share; the first rounds' shares leave room for it.
  let overheadMs = INITIAL_OVERHEAD_MS;
  let rounds = 0;

  const pooled = (): StrategyResult[] => {
    const main = entries.get('main');
    return scenarios.flatMap((s) => {
      const own = entries.get(s.label) ?? [];
      if (own.length === 0) return [];
      return [poolReplicates(own, s.strategy === 'main' ? undefined : main, origin, config.maxNoise)];
    });
  };

  try {
    let toRun = scenarios;
    schedule: for (let round = 0; round < maxRounds; round++) {
      rounds = round + 1;
      const order = orderOf(toRun, round);
      for (const [position, scenario] of order.entries()) {
        if (interrupts.stopped()) {
          stoppedBy = 'interrupted';
          break schedule;
        }
        const settleStarted = Date.now();
        const quiet = await settle(SETTLE_MAX_MS);
        // The time left, shared by the processes still to run in the rounds --replicates asks for:
        // half the budget for those rounds, but never less than MIN_PROCESS_SHARE_MS while the
        // whole budget has it (a process squeezed by the ones before it would measure cold).
        const left =
          (round < minRounds ? (minRounds - round - 1) * scenarios.length : 0) + (order.length - position);
        const shareUntil = (end: number): number => Math.max(0, (end - Date.now()) / left - overheadMs);
        const share =
          round < minRounds
            ? Math.max(shareUntil(firstRoundsEnd), Math.min(shareUntil(deadline), MIN_PROCESS_SHARE_MS))
            : shareUntil(deadline);
        const count = opsOf(round);
        const childRequest: ReplicateRequest = {
          type: 'replicate',
          config,
          scenario,
          rule: {
            ...(count === undefined ? {} : { count }),
            minCount,
            maxNoise: config.maxNoise,
            timeBudgetMs: config.ops === undefined ? share : config.timeBudgetMs,
            chunk: config.chunk,
          },
          probeOps: PROBE_OPS,
          describeMachine: processes === 0,
          // Within this process's share of what is left of the run's budget, never past its end.
          warmupUntilMs: Date.now() + Math.min(share, Math.max(0, deadline - Date.now())),
        };
        const before = entries.get(scenario.label) ?? [];
        const doneBefore = before.reduce((n, e) => n + e.measured.run.opsOk, 0);
        let answer;
        try {
          answer = await runInChild(childRequest, {
            interrupts,
            ...(options.verbose === undefined ? {} : { verbose: options.verbose }),
            ...(options.onNativeLine ? { onNativeLine: options.onNativeLine } : {}),
            onProgress: (p) => {
              options.onProgress?.({
                label: `${scenario.label}, replicate ${round + 1} (${p.label})`,
                done: doneBefore + p.done,
                total: config.ops ?? 0,
              });
            },
          });
        } catch (error) {
          // A process killed mid-run costs its own ops only: the replicates before it are kept.
          if (error instanceof MeasuringProcessDied && processes > 0) {
            died = { scenario: scenario.label, error };
            stoppedBy = 'process-died';
            break schedule;
          }
          throw error;
        }
        processes++;
        nativeMessages.push(...answer.nativeMessages);
        if (answer.response.type !== 'replicate-result')
          throw new Error('a measuring process answered a replicate out of turn');
        const measured = answer.response.replicate;
        before.push({
          round,
          position,
          ...(previous === undefined ? {} : { after: previous }),
          settle: quiet,
          originNs: BigInt(measured.run.records.originNs),
          measured,
        });
        previous = scenario.label;
        // What the process cost beyond its share: the share covers the scenario's start and rounds.
        // Its settle wait included: the next shares must leave room for that too.
        overheadMs = Math.max(0, Date.now() - settleStarted - measured.rounds.elapsedMs - measured.start.ms);
        if (measured.run.deviceLost) {
          stoppedBy = 'device-lost';
          break schedule;
        }
        if (measured.rounds.stoppedBy === 'interrupted' || interrupts.stopped()) {
          stoppedBy = 'interrupted';
          break schedule;
        }
      }
      if (rounds < minRounds) continue;
      if (config.ops !== undefined) {
        stoppedBy = 'ops';
        break;
      }
      const main = entries.get('main');
      // Main has no verdict of its own: it runs while the others' are unsettled, or alone to --max-noise.
      const judged =
        scenarios.length > 1 && main ? scenarios.filter((s) => s.strategy !== 'main') : scenarios;
      const unsettled = judged.filter((s) => {
        const own = entries.get(s.label) ?? [];
        // A scenario whose every op failed has nothing to settle: more rounds would only fail again.
        if (own.every((e) => e.measured.run.opsOk === 0)) return false;
        const vsMain = main && s.strategy !== 'main' ? pooledVersusMain(own, main, s.concurrency) : undefined;
        return !isSettled(pooledTotal(own), vsMain, config.maxNoise, s.strategy === 'fresh');
      });
      if (unsettled.length === 0) {
        const failedAll = scenarios.every((s) =>
          (entries.get(s.label) ?? []).every((e) => e.measured.run.opsOk === 0),
        );
        stoppedBy = failedAll
          ? 'failing'
          : judged.some((s) => s.strategy !== 'main') && main
            ? 'settled'
            : 'noise';
        break;
      }
      if (Date.now() >= deadline) {
        stoppedBy = 'time-budget';
        break;
      }
      // Main runs in every round anyway: each other scenario's replicate pairs with main's.
      const roundOf = (list: readonly Scenario[]): Scenario[] => {
        const wanted = new Set(list.map((s) => s.label));
        return scenarios.filter((s) => s.strategy === 'main' || wanted.has(s.label));
      };
      const cost = (list: readonly Scenario[]): number[] =>
        list.map((s) => nextProcessMs(entries.get(s.label) ?? [], overheadMs, minCount));
      // The rounds the budget has left at this pace: a verdict that cannot settle in them is not
      // run for (it stays undecided, and says so), nor kept to the end of the budget.
      const perRound = cost(roundOf(unsettled)).reduce((a, b) => a + b, 0);
      const roundsLeft = Math.min(
        maxRounds - rounds,
        perRound > 0 ? Math.floor((deadline - Date.now()) / perRound) : maxRounds - rounds,
      );
      const settleable = main
        ? unsettled.filter((s) => {
            const own = entries.get(s.label) ?? [];
            const vsMain = s.strategy === 'main' ? undefined : pooledVersusMain(own, main, s.concurrency);
            return !vsMain || couldSettle(vsMain, own.length, roundsLeft, s.strategy === 'fresh');
          })
        : unsettled;
      if (settleable.length === 0) {
        stoppedBy = 'futile';
        break;
      }
      const next = roundOf(settleable);
      if (!extraRoundFits(deadline - Date.now(), cost(next))) {
        stoppedBy = 'time-budget';
        break;
      }
      toRun = next;
    }
    // The loop ran every round the schedule adds without settling or spending the budget.
    stoppedBy ??= rounds >= maxRounds && config.ops === undefined ? 'rounds' : undefined;
  } finally {
    if (!options.interrupts) interrupts.remove();
  }
  const all = [...entries.values()].flat();
  const first = all[0];
  const environment = all.find((e) => e.measured.environment)?.measured.environment;
  if (!first || !environment) throw new Error('the profile ended before any measuring process answered');
  const result = assembleReplicatedProfile(
    {
      command: request.command,
      environment,
      device: first.measured.device,
      config: first.measured.config,
    },
    pooled(),
    {
      count: rounds,
      stoppedBy: stoppedBy ?? 'time-budget',
      elapsedMs: Date.now() - started,
    },
    { processes, probeOps: PROBE_OPS, entries: all },
  );
  return { result, nativeMessages, ...(died ? { died } : {}) };
}
