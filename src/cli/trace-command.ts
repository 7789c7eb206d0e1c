import { uncoveredLines } from '../reports/terminal/trace-view.js';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { parseCount } from '../config/size.js';
import { usageError } from '../errors.js';
import { parseGpuTime } from '../config/gpu-time.js';
import { formatReport } from '../reports/format-report.js';
import { traceDetails, traceView } from '../reports/terminal/trace-view.js';
import { renderView, viewOptions, type ViewFlags } from './terminal-view.js';
import { collectEnvironment } from '../results/environment.js';
import { collectProvenance, parseLabel } from '../results/provenance.js';
import { RESULT_SCHEMA, RESULT_VERSION, type TraceResult } from '../results/result-types.js';
import { probeOutputFolder, writeAtomically, writeResultFile } from '../results/write-result.js';
import { DEFAULT_MAX_EVENTS } from '../trace/event-cap.js';
import { runTraced, type TracedRun } from '../trace/run-traced.js';
import { TraceInterrupts } from '../trace/trace-interrupts.js';
import type { TraceSummary } from '../trace/trace-summary.js';
import { timingNotes } from '../reports/trace-timing.js';

interface TraceFlags extends ViewFlags {
  out: string;
  save: boolean;
  duration?: string;
  maxEvents: string;
  gpuTime: string;
  label?: string;
  json?: boolean;
}

/** --duration in seconds, as ms. */
function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!(Number.isFinite(seconds) && seconds > 0))
    throw usageError(`--duration ${text}: give a number of seconds above 0 (e.g. --duration 10)`);
  return seconds * 1000;
}

/** What limits the trace's figures, one line each, said once. */
export function traceNotes(summary: TraceSummary, run: TracedRun): string[] {
  const notes: string[] = [];
  if (summary.timestamps === 'none')
    notes.push(
      'no device the program opened has timestamp-query: CPU figures only (no GPU time per pass, no GPU busy time, waits not split)',
    );
  if (summary.timestamps === 'some')
    notes.push('some devices the program opened have no timestamp-query: their passes have no GPU time');
  if (summary.quantizationOff === false)
    notes.push(
      'a create() call of the program enables timestamp quantization: GPU times are multiples of 65,536 ns',
    );
  for (const w of new Map(summary.webgpu.map((w) => [w.path, w])).values())
    if (!w.createPatched)
      notes.push(
        `create() of ${w.path} could not be wrapped: its timestamps may be quantized (65,536 ns steps)`,
      );
  notes.push(...timingNotes(summary));
  if (run.stoppedBy === 'exit' && (run.signal !== null || (run.exitCode ?? 0) !== 0))
    notes.push(
      `the program ${run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`}: the trace holds what its threads logged up to then (their last 100 ms may be missing)`,
    );
  if (run.signal === 'SIGKILL' && run.stoppedBy !== 'exit')
    notes.push(
      `the program was killed by SIGKILL (${run.stoppedBy === 'duration' ? "it outlived --duration's SIGINT and SIGTERM" : 'a second Ctrl-C, or it outlived SIGINT and SIGTERM'}): the trace holds what its threads logged up to their last flush (their last 100 ms may be missing)`,
    );
  return notes;
}

/** The program's exit status as wgprof's: its code, 128 + the signal's number, 0 when --duration stopped it. */
export function exitStatus(run: TracedRun): number {
  if (run.stoppedBy === 'duration') return 0;
  if (run.signal) return 128 + constants.signals[run.signal];
  return run.exitCode ?? 1;
}

export function traceCommand(): Command {
  return new Command('trace')
    .description(
      "run a Node program with wgprof's WebGPU instrumentation in every thread, and report where its GPU time went; " +
        "the program's stdout and stderr pass through untouched, wgprof's report goes to stderr",
    )
    .usage('[options] -- node app.js [args...]')
    .argument('[command...]', 'the program to trace and its arguments, after --')
    .option(
      '--out <dir>',
      'folder for the run folder holding result.json, report.md and trace.json',
      'results',
    )
    .option(
      '--label <text>',
      "a name for this trace in its result (a branch, a pull request), beside the working folder's git commit",
    )
    .option('--no-save', 'do not write result.json')
    .option(
      '--duration <seconds>',
      'stop the program after this long (SIGINT, then SIGTERM after 5 s); exit 0 then',
    )
    .option(
      '--max-events <n>',
      'events to keep in result.json, all threads together (each keeps its first ones); the figures count every event',
      String(DEFAULT_MAX_EVENTS),
    )
    .option(
      '--gpu-time <mode>',
      "which compute passes get wgprof's GPU timestamps, which cost the passes they time: sample (each device's first command encoder, then one in 2; the trace measures what timing cost), 1/N, every, none (the program's GPU work unchanged)",
      'sample',
    )
    .option('--json', 'print the result JSON instead of the tables (on stderr, as the tables)')
    .option('--details', "print every table, note and warning (laid out for the terminal's width)")
    .option('--no-color', 'no color, even on a terminal (NO_COLOR does the same)')
    .passThroughOptions()
    .action(async (command: string[], flags: TraceFlags) => {
      const duration = durationMs(flags.duration);
      const maxEvents = parseCount(flags.maxEvents, '--max-events');
      const gpuTime = parseGpuTime(flags.gpuTime);
      // A bad --label is refused before the program runs, not after.
      const label = flags.label === undefined ? undefined : parseLabel(flags.label);
      if (command.length === 0)
        throw usageError('no program to trace: give it after --, e.g. wgprof trace -- node app.js');
      if (flags.save) await probeOutputFolder(flags.out);
      // From the spawn until the trace is written: a Ctrl-C ends the program, not the trace.
      const interrupts = new TraceInterrupts().install();
      try {
        const run = await runTraced({
          command,
          maxEvents,
          interrupts,
          gpuTime,
          ...(duration === undefined ? {} : { durationMs: duration }),
        });
        await reportTrace(command, run, flags, label);
      } finally {
        interrupts.remove();
      }
    });
}

/** The trace's result, printed on stderr and written (unless --no-save); sets wgprof's exit code. */
async function reportTrace(
  command: readonly string[],
  run: TracedRun,
  flags: TraceFlags,
  label: string | undefined,
): Promise<void> {
  const status = exitStatus(run);
  const { logs, summary, events } = run.trace;
  if (!run.trace.usedWebGpu) {
    // A thread or process the trace could not follow may be where the GPU work was: say which.
    const missed = uncoveredLines(summary.uncovered);
    process.stderr.write(
      `wgprof: nothing to report: the program never opened a WebGPU device in a traced thread (${logs.length} thread${logs.length === 1 ? '' : 's'} traced); no result written\n` +
        missed.map((line) => `wgprof: ${line}\n`).join(''),
    );
    process.exitCode = status;
    return;
  }
  const result: TraceResult = {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    kind: 'trace',
    createdAt: new Date().toISOString(),
    command: ['trace', ...process.argv.slice(3)],
    environment: collectEnvironment(),
    nativeMessages: [],
    // The program's folder, as a profile's: the commit whose code the trace ran.
    provenance: collectProvenance(process.cwd(), label),
    program: {
      command,
      cwd: process.cwd(),
      exitCode: run.exitCode,
      signal: run.signal,
      stoppedBy: run.stoppedBy,
      wallNs: run.wallNs,
      startNs: run.startNs.toString(),
    },
    summary,
    events,
    threads: logs,
    notes: traceNotes(summary, run),
  };
  // The program's status is wgprof's, unless writing the result fails (exit 7): the report is
  // printed first all the same.
  process.exitCode = status;
  let path: string | undefined;
  let writeError: Error | undefined;
  if (flags.save) {
    try {
      path = await writeResultFile(flags.out, 'trace', new Date(result.createdAt), result);
      await writeAtomically(join(dirname(path), 'report.md'), await formatReport(result, 'md'));
      await writeAtomically(join(dirname(path), 'trace.json'), await formatReport(result, 'trace'));
    } catch (error) {
      writeError = error instanceof Error ? error : new Error(String(error));
    }
  }
  // The report goes to stderr: the program's own stdout is the terminal's.
  process.stderr.write(
    flags.json
      ? `${JSON.stringify(result)}\n`
      : `\n${renderView({ view: traceView, details: traceDetails }, result, flags, viewOptions(flags, process.stderr, path))}`,
  );
  if (path && !flags.json)
    process.stderr.write(`wgprof: result in ${path} (timeline: trace.json beside it, for ui.perfetto.dev)\n`);
  if (writeError !== undefined) throw writeError;
}
