import { Command } from 'commander';
import { usageError } from '../errors.js';
import { REPORT_FORMATS, reportText, type ReportFormat } from '../reports/format-report.js';
import { isExportFormat } from '../reports/exports/export-report.js';
import { exportFiles, onlyFile } from './export-files.js';
import { acrossDevicesReport, isAcrossFormat } from './across-devices-report.js';
import { readResultFile } from '../results/read-result.js';
import { writeAtomically, writeToStdout } from '../results/write-result.js';

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'turn a result.json into Markdown, a self-contained HTML page with charts, per-op CSV, a Chrome/Perfetto trace, or profiles into Bencher (bmf) or github-action-benchmark JSON',
    )
    .argument(
      '<result...>',
      'a result.json written by profile, breakdown, sync, trace or peak (several: the profiles merged into one bmf or github-benchmark export; several profiles of one op, without --format or as md, html or json: one table, a column per device and host)',
    )
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'md')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (paths: string[], flags: { format: string; out?: string }, command: Command) => {
      // Several profiles of one op, as md, html or json (the terminal's view without --format): one table across devices.
      const formatGiven = command.getOptionValueSource('format') !== 'default';
      if (paths.length > 1 && (!formatGiven || isAcrossFormat(flags.format))) {
        const format = formatGiven || flags.out !== undefined ? flags.format : undefined;
        await acrossDevicesReport(paths, format, flags.out);
        return;
      }
      if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw usageError(`unknown --format '${flags.format}': choose one of ${REPORT_FORMATS.join(', ')}`);
      }
      const format = flags.format as ReportFormat;
      const text = isExportFormat(format)
        ? await exportFiles(paths, format)
        : await reportText(await readResultFile(onlyFile(paths, format)), format);
      if (flags.out) await writeAtomically(flags.out, text);
      else await writeToStdout(text);
    });
}
