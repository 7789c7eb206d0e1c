#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ExitCode, messageOf, WgprofError } from '../errors.js';
import { wgprofVersion } from '../results/environment.js';
import { compareCommand } from './compare-command.js';
import { doctorCommand } from './doctor-command.js';
import { historyCommand } from './history-command.js';
import { breakdownCommand, syncCommand } from './experiment-commands.js';
import { peakCommand } from './peak-command.js';
import { profileCommand } from './profile-command.js';
import { reportCommand } from './report-command.js';
import { traceCommand } from './trace-command.js';

/**
 * wgprof's one top-level error handler: every expected failure is one `wgprof: error:` line and
 * the exit code the README lists; only --verbose shows a stack.
 */
async function main(argv: readonly string[]): Promise<void> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const program = new Command('wgprof')
    .description("Where does a GPU op's time go? A WebGPU compute profiler for Node.js.")
    .version(wgprofVersion())
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    // `trace -- node app.js --flag`: the program's flags are its own.
    .enablePositionalOptions()
    .addCommand(profileCommand())
    .addCommand(breakdownCommand())
    .addCommand(syncCommand())
    .addCommand(peakCommand())
    .addCommand(reportCommand())
    .addCommand(traceCommand())
    .addCommand(compareCommand())
    .addCommand(historyCommand())
    .addCommand(doctorCommand());
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(add --help for usage)');
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one line (or the help, or the version).
      const benign = [
        'commander.helpDisplayed',
        'commander.help',
        'commander.version',
        'commander.executeSubCommandAsync',
      ];
      process.exitCode = benign.includes(error.code) ? ExitCode.ok : ExitCode.usage;
      return;
    }
    if (error instanceof WgprofError) {
      process.stderr.write(`wgprof: error: ${error.message}\n`);
      if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`wgprof: internal error: ${messageOf(error)}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = ExitCode.internal;
  }
}

await main(process.argv.slice(2));
