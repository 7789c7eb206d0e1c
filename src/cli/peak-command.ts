import { Command } from 'commander';
import { parseLabel } from '../results/provenance.js';
import { dirname, join } from 'node:path';
import { BACKENDS, parseBackend, type BackendChoice } from '../device/backend.js';
import { gpuError, messageOf, usageError } from '../errors.js';
import { formatReport } from '../reports/format-report.js';
import { peakDetails, peakView } from '../reports/terminal/peak-view.js';
import { saveLatestPeak } from '../results/peak-store.js';
import type { PeakResult } from '../results/result-types.js';
import { probeOutputFolder, writeAtomically, writeResultFile } from '../results/write-result.js';
import { measurePeak } from '../runner/measure-peak.js';
import { addOutputOptions, type OutputFlags } from './common-options.js';
import { createProgress } from './progress.js';
import { typedCommand } from './run-measurement.js';
import { renderView, viewOptions } from './terminal-view.js';

type PeakFlags = OutputFlags & { backend: string; adapter?: string; quick: boolean };

/** --backend, refusing `null`: a device that runs no GPU work has no limits to measure. */
function backendOf(text: string): BackendChoice {
  if (text === 'null')
    throw usageError(
      "peak measures the device's own limits; the 'null' backend runs no GPU work, so it has none: choose another --backend",
    );
  return parseBackend(text, false);
}

/** report.md and report.html beside result.json: a report that cannot be written is a warning only. */
async function writeReportsBeside(resultPath: string, result: PeakResult): Promise<void> {
  for (const format of ['md', 'html'] as const) {
    try {
      await writeAtomically(
        join(dirname(resultPath), `report.${format}`),
        await formatReport(result, format),
      );
    } catch (error) {
      process.stderr.write(`wgprof: warning: report.${format} was not written: ${messageOf(error)}\n`);
    }
  }
}

export function peakCommand(): Command {
  const command = new Command('peak')
    .description(
      "measure this adapter's own limits: memory bandwidth (a copy and a streaming kernel, over buffer sizes), f32 arithmetic rate, and the floors of a small op (submit, dispatch, read-back); kept where profile finds them",
    )
    .option('--backend <name>', `auto, or one of ${BACKENDS.filter((b) => b !== 'null').join(', ')}`, 'auto')
    .option('--adapter <name>', "pick the adapter whose name contains this (Dawn's adapter= toggle)")
    .option(
      '--quick',
      "a short sweep (1 and 4 MiB) and short budgets: checks wgprof, not the device's limits",
      false,
    );
  return addOutputOptions(command).action(async (flags: PeakFlags) => {
    const backend = backendOf(flags.backend);
    if (flags.save) await probeOutputFolder(flags.out);
    const progress = createProgress(!flags.json && !flags.quiet);
    const result = await measurePeak({
      backend,
      ...(flags.adapter === undefined ? {} : { adapter: flags.adapter }),
      quick: flags.quick,
      verbose: flags.verbose ?? false,
      ...(flags.label === undefined ? {} : { label: parseLabel(flags.label) }),
      command: typedCommand('peak'),
      onProgress: (p) => progress.update(p.label, p.done, p.total),
    }).finally(() => progress.done());
    // A folder that cannot be written must not cost the measurement: print it, then fail.
    let resultPath: string | undefined;
    let latestPath: string | undefined;
    let writeError: Error | undefined;
    if (flags.save) {
      try {
        resultPath = await writeResultFile(flags.out, 'peak', new Date(result.createdAt), result);
        await writeReportsBeside(resultPath, result);
        // A lost device measured no limit of it: it does not replace the latest peak.
        if (result.deviceLost === undefined) latestPath = await saveLatestPeak(flags.out, result);
      } catch (error) {
        writeError = error instanceof Error ? error : new Error(String(error));
      }
    }
    const notWritten =
      flags.save && resultPath === undefined
        ? { notWritten: 'result.json not written (the error below says why)' }
        : {};
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      const options = {
        ...viewOptions(flags, process.stdout, resultPath),
        ...(latestPath === undefined ? {} : { latestPath }),
        ...notWritten,
      };
      process.stdout.write(renderView({ view: peakView, details: peakDetails }, result, flags, options));
    }
    if (writeError !== undefined) throw writeError;
    if (result.deviceLost !== undefined)
      throw gpuError(
        `the device was lost during wgprof peak (${result.deviceLost}); what was measured is ${resultPath ? `in ${resultPath}` : 'above'}`,
      );
  });
}
