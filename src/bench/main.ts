#!/usr/bin/env node
import { fork } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { messageOf } from '../errors.js';
import { writeAtomically } from '../results/write-result.js';
import { isHarmlessNativeLine } from '../runner/native-output.js';
import type { BenchRequest, BenchResponse } from './bench-protocol.js';
import type { BenchReport } from './bench-types.js';
import { renderMarkdown } from './render.js';

const MEASURE_CHILD = fileURLToPath(new URL('./measure-child.js', import.meta.url));

interface BenchFlags {
  quick: boolean;
  out: string;
  json?: boolean;
  quiet?: boolean;
  only?: string;
  rawDir?: string;
}

/** One line on stderr, rewritten in place; only on a terminal, never with --json or --quiet. */
function progressLine(enabled: boolean): (text: string | undefined) => void {
  if (!enabled || !process.stderr.isTTY) return () => undefined;
  const started = Date.now();
  return (text) => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(0);
    process.stderr.write(text === undefined ? '\r\x1b[2K' : `\r\x1b[2Kbench: ${text} (${elapsed} s so far)`);
  };
}

/**
 * Runs the rows in a measuring child (see measure-child.ts) and returns its report. Dawn's
 * harmless start-up lines from the child are dropped; any other line goes to stderr.
 */
function measure(request: BenchRequest, onProgress: (text: string) => void): Promise<BenchReport> {
  const child = fork(MEASURE_CHILD, [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (!isHarmlessNativeLine(line)) process.stderr.write(`bench: measuring process: ${line}\n`);
    });
  }
  return new Promise((resolve, reject) => {
    let answer: BenchResponse | undefined;
    child.on('message', (message: BenchResponse) => {
      if (message.type === 'progress') onProgress(`${message.label} [${message.done + 1}/${message.total}]`);
      else answer = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer?.type === 'report') resolve(answer.report);
      else if (answer?.type === 'error') reject(new Error(answer.message));
      else reject(new Error(`the measuring process died (${signal ?? `exit code ${code}`})`));
    });
    child.send(request);
  });
}

/**
 * Writes the report as JSON and Markdown into `dir`; returns the two paths. A report of some rows
 * (--only) is named after them, so that it never replaces the whole bench's.
 */
async function writeReport(dir: string, report: BenchReport, only: readonly string[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = [report.mode === 'quick' ? 'quick' : 'latest', ...only].join('-');
  const json = join(dir, `${base}.json`);
  const md = join(dir, `${base}.md`);
  await writeAtomically(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(md, renderMarkdown(report));
  return [json, md];
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('bench')
    .description(
      "wgprof's own cost against the raw thing, interleaved in one run: recording, handoff, throughput, memory, wall time; coverage of vs main's CI across repeats; a yardstick of bare dawn.node; the WebGPU instrumentation's cost; the API's profile called repeatedly; and what wgprof trace costs a TF.js program and each WebGPU call; main in the full set against main alone; what GPU timing costs the op it times; the default profile's wall time and how often its verdicts agree with a 120 s run's; wgprof peak's bandwidth against CPU copies, with the built-in kernels' shares of it; and wgprof history over 1,000 results",
    )
    .option(
      '--quick',
      'small counts, seconds: checks that every row still runs (its figures mean little)',
      false,
    )
    .option(
      '--out <dir>',
      'folder for latest.json and latest.md (quick.json and quick.md with --quick)',
      'results/bench',
    )
    .option(
      '--only <rows>',
      'run only these rows, by number or name, comma-separated: 1 recording, 2 handoff, 3 throughput, ' +
        '4 memory, 5 wall-time, 6 coverage, 7 yardstick, 8 instrumentation, 9 api-memory, 10 trace, ' +
        '10c trace-calls, 11 isolation, 12 timing-cost, 13 verdicts, 14 peak, 15 history ' +
        '(the report is then latest-NAMES.json, quick-NAMES.json)',
    )
    .option('--raw-dir <dir>', "row 6 (coverage): keep each repeat's profile JSON there, as repeat-N.json")
    .option('--json', 'print the report as JSON on stdout instead of the table')
    .option('-q, --quiet', 'no progress display')
    // A bad flag is a usage error, exit 2, as everywhere in wgprof (commander's own is 1).
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    })
    .parse(argv, { from: 'user' });
  const flags = program.opts<BenchFlags>();
  const progress = progressLine(!flags.json && !flags.quiet);
  const only = (flags.only ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const report = await measure(
    {
      type: 'run',
      quick: flags.quick,
      command: ['bench', ...argv],
      ...(only.length > 0 ? { only } : {}),
      ...(flags.rawDir === undefined ? {} : { rawDir: resolve(flags.rawDir) }),
    },
    progress,
  ).finally(() => {
    progress(undefined);
  });
  const paths = await writeReport(flags.out, report, only);
  if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${renderMarkdown(report)}\nwritten: ${paths.join(', ')}\n`);
  // Timings never fail the bench; a row that could not be measured does.
  if (report.rows.some((row) => row.state === 'errored')) process.exitCode = 1;
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: error: ${messageOf(error)}\n`);
  process.exitCode = 1;
}
