import type { AnyResult } from '../results/result-types.js';
import { parseLabel } from '../results/provenance.js';
import { dirname, join } from 'node:path';
import { ExitCode, gpuError, messageOf } from '../errors.js';
import { describeLoss } from '../reports/profile-report.js';
import { probeOutputFolder, writeAtomically, writeResultFile } from '../results/write-result.js';
import { formatReport } from '../reports/format-report.js';
import { measureRequest } from '../runner/measure-request.js';
import type { MeasuringRequest, Progress } from '../runner/protocol.js';
import type { OutputFlags } from './common-options.js';
import { createProgress } from './progress.js';
import { renderView, viewOptions, type Views } from './terminal-view.js';

/**
 * report.md and report.html next to result.json. The result is already safe on disk: a report
 * that cannot be written is a warning, never a reason to lose the run.
 */
async function writeReportsBeside(resultPath: string, result: AnyResult): Promise<void> {
  const dir = dirname(resultPath);
  for (const format of ['md', 'html'] as const) {
    try {
      await writeAtomically(join(dir, `report.${format}`), await formatReport(result, format));
    } catch (error) {
      process.stderr.write(`wgprof: warning: report.${format} was not written: ${messageOf(error)}\n`);
    }
  }
}

function stopReason(result: AnyResult): string {
  return result.kind === 'profile' ? result.rounds.stoppedBy : result.repeat.stoppedBy;
}

/** The command line as typed, from the command's name on, for the result's record. */
export function typedCommand(name: string): string[] {
  const i = process.argv.indexOf(name);
  return ['wgprof', name, ...(i >= 0 ? process.argv.slice(i + 1) : [])];
}

/**
 * Runs one measuring request in measuring processes (a profile: one per scenario and replicate), then writes result.json (unless --no-save)
 * and prints the report, or the JSON with --json. Returns the result for the command's own checks.
 */
export async function runMeasurement<R extends AnyResult>(
  request: MeasuringRequest & { readonly type: R['kind'] },
  flags: OutputFlags,
  views: Views<R>,
  /** What the command adds to the result before it is written (a profile: its shares of a peak). */
  complete: (result: R) => R | Promise<R> = (result) => result,
): Promise<R> {
  if (flags.save) await probeOutputFolder(flags.out);
  const progress = createProgress(!flags.json && !flags.quiet);
  const onProgress = (p: Progress): void => {
    progress.update(p.label, p.done, p.total);
  };
  const verbose = flags.verbose ?? false;
  const label = flags.label === undefined ? {} : { label: parseLabel(flags.label) };
  const measured = await measureRequest<R>(request, { onProgress, verbose, ...label }).finally(() => {
    progress.done();
  });
  const result = await complete(measured.result);
  // A folder that cannot be written must not cost the measurements: print them, then fail.
  let path: string | undefined;
  let writeError: Error | undefined;
  if (flags.save) {
    try {
      path = await writeResultFile(flags.out, result.kind, new Date(result.createdAt), result);
      await writeReportsBeside(path, result);
    } catch (error) {
      writeError = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const options = viewOptions(flags, process.stdout, path);
    const why = writeError ? { notWritten: 'result.json not written (the error below says why)' } : {};
    process.stdout.write(renderView(views, result, flags, { ...options, ...why }));
  }
  if (writeError !== undefined) throw writeError;
  const where = path ? `in ${path}` : 'above';
  if (measured.died) {
    throw gpuError(
      `${measured.died.error.message} while it measured ${measured.died.scenario}; the ops measured before it are ${where}`,
    );
  }
  if (result.kind !== 'profile' && result.deviceLost !== undefined)
    throw gpuError(
      `${describeLoss(`wgprof ${result.kind}`, result.deviceLost)}; what was measured is ${where}`,
    );
  const lost = result.kind === 'profile' ? result.runs.find((r) => r.deviceLost) : undefined;
  if (lost) {
    throw gpuError(
      `${describeLoss(lost.label, lost.deviceLost ?? '')}; the ops measured before it are ${path ? `in ${path}` : 'above'}`,
    );
  }
  if (stopReason(result) === 'interrupted') {
    process.stderr.write(
      `wgprof: interrupted: the ops measured before the stop are ${path ? `in ${path}` : 'above'}\n`,
    );
    process.exitCode = ExitCode.interrupted;
  }
  return result;
}
