import { extname } from 'node:path';
import { Command } from 'commander';
import { parsePercent } from '../config/size.js';
import { usageError } from '../errors.js';
import { buildHistory } from '../history/build-history.js';
import { collectResultFiles } from '../history/collect-files.js';
import type { History } from '../history/history-types.js';
import { historyMarkdown } from '../history/history-markdown.js';
import { historyDetails, historyView } from '../history/history-view.js';
import { loadProfiles } from '../history/load-profiles.js';
import { PLAIN } from '../reports/terminal/style.js';
import { writeAtomically, writeToStdout } from '../results/write-result.js';
import { renderView, viewOptions, type ViewFlags } from './terminal-view.js';

const FORMATS = ['text', 'md', 'json', 'html'] as const;
type HistoryFormat = (typeof FORMATS)[number];

/** A file's format from its name, for --out without --format. */
const BY_EXTENSION: Readonly<Record<string, HistoryFormat>> = {
  '.md': 'md',
  '.json': 'json',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
};

interface HistoryFlags extends ViewFlags {
  threshold: string;
  format?: string;
  out?: string;
  json?: boolean;
}

/** The format asked for: --json, --format, or --out's extension; the terminal view by default. */
function formatOf(flags: HistoryFlags): HistoryFormat {
  if (flags.json && flags.format !== undefined && flags.format !== 'json')
    throw usageError(`--json and --format ${flags.format} ask for two formats: give one`);
  if (flags.json) return 'json';
  if (flags.format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(flags.format))
      throw usageError(`unknown --format '${flags.format}': choose one of ${FORMATS.join(', ')}`);
    return flags.format as HistoryFormat;
  }
  if (flags.out === undefined) return 'text';
  const byName = BY_EXTENSION[extname(flags.out).toLowerCase()];
  if (byName === undefined)
    throw usageError(
      `cannot tell the format of --out ${flags.out} from its name: add --format md, json or html`,
    );
  return byName;
}

/** The history in `format`, as text; html loads Vega (~130 ms), so only when asked. */
async function historyText(history: History, format: HistoryFormat, flags: HistoryFlags): Promise<string> {
  switch (format) {
    case 'text':
      // In a file, no color and 80 columns: what a terminal without one would show.
      return flags.out === undefined
        ? renderView({ view: historyView, details: historyDetails }, history, flags, viewOptions(flags))
        : renderView({ view: historyView, details: historyDetails }, history, flags, {
            width: 80,
            style: PLAIN,
          });
    case 'md':
      return historyMarkdown(history);
    case 'json':
      return `${JSON.stringify(history)}\n`;
    case 'html': {
      const { historyHtml } = await import('../history/history-html.js');
      return historyHtml(history);
    }
  }
}

/**
 * `wgprof history DIR|RESULT...`: every profile result under the folders and among the files, by
 * op, settings and device, in time order; per scenario the trend of its median and the steps
 * compare judges beyond the noise. Files that are not profile results are skipped with a line
 * each on stderr; none at all is exit 2.
 */
export function historyCommand(): Command {
  return new Command('history')
    .description(
      'follow profile results over time: per op, device and scenario, the median total per op run after run, with each step compare judges beyond the noise marked',
    )
    .argument('<paths...>', 'folders to search for result.json files (at any depth), and result files')
    .option('--threshold <share>', 'the smallest change of a median that counts, e.g. 5% or 0.05', '5%')
    .option(
      '--details',
      'every run of every scenario: when, commit, median with its CI, the step and its verdict',
    )
    .option('--format <format>', `one of ${FORMATS.join(', ')} (default: text, or from --out's extension)`)
    .option('--out <file>', 'write the history to this file (the terminal shows the short view)')
    .option('--json', 'print the groups, series and verdicts as JSON (same as --format json)')
    .option('--no-color', 'no color, even on a terminal (NO_COLOR does the same)')
    .addHelpText(
      'after',
      '\nExamples:\n  wgprof history results/\n  wgprof history results/ ci-artifacts/ --details\n  wgprof history results/ --out history.html',
    )
    .action(async (paths: string[], flags: HistoryFlags) => {
      const threshold = parsePercent(flags.threshold, '--threshold');
      const format = formatOf(flags);
      const found = await collectResultFiles(paths);
      const loaded = await loadProfiles(found.files);
      const skipped = [...found.skipped, ...loaded.skipped];
      for (const s of skipped) process.stderr.write(`wgprof: skipped ${s.path}: ${s.reason}\n`);
      if (loaded.profiles.length === 0) {
        const read = found.files.length;
        throw usageError(
          `no profile result to follow among ${read} file${read === 1 ? '' : 's'} (${paths.join(', ')}): give folders or files holding the result.json of wgprof profile runs`,
        );
      }
      const history = buildHistory(loaded.profiles, skipped, threshold);
      const text = await historyText(history, format, flags);
      if (flags.out === undefined) {
        await writeToStdout([text]);
        return;
      }
      await writeAtomically(flags.out, text);
      const view = renderView(
        { view: historyView, details: historyDetails },
        history,
        { ...flags, details: false },
        viewOptions(flags),
      );
      await writeToStdout([view, `wrote ${flags.out}\n`]);
    });
}
