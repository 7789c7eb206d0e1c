import { Command } from 'commander';
import { usageError } from '../errors.js';
import { REPORT_FORMATS, reportText, type ReportFormat } from '../reports/format-report.js';
import { readResultFile } from '../results/read-result.js';
import { writeAtomically, writeToStdout } from '../results/write-result.js';

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'turn a result.json into Markdown, a self-contained HTML page with charts, per-op CSV, or a Chrome/Perfetto trace',
    )
    .argument('<result>', 'a result.json written by profile, breakdown, sync, trace or peak')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'md')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (path: string, flags: { format: string; out?: string }) => {
      if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw usageError(`unknown --format '${flags.format}': choose one of ${REPORT_FORMATS.join(', ')}`);
      }
      const text = await reportText(await readResultFile(path), flags.format as ReportFormat);
      if (flags.out) await writeAtomically(flags.out, text);
      else await writeToStdout(text);
    });
}
