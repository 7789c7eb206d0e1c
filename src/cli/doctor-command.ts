import { Command } from 'commander';
import { doctorDetails, doctorView } from '../reports/terminal/doctor-view.js';
import { renderView, viewOptions, type ViewFlags } from './terminal-view.js';
import type { DoctorReport } from '../device/doctor.js';
import { noAdapterAdvice } from '../device/open-device.js';
import { noAdapterError } from '../errors.js';
import { runInChild } from '../runner/run-in-child.js';

export function usableEntries(report: DoctorReport): number {
  return report.entries.filter((e) => e.device && !e.device.noRealGpuWork).length;
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('list the backends and adapters wgprof can open here, with their features')
    .option('--json', 'print the report as JSON')
    .option('-v, --verbose', 'show every line Dawn prints')
    .option('--details', 'print every feature of each device')
    .option('--no-color', 'no color, even on a terminal (NO_COLOR does the same)')
    .action(async (flags: ViewFlags & { json?: boolean; verbose?: boolean }) => {
      const outcome = await runInChild({ type: 'doctor' }, { verbose: flags.verbose ?? false });
      if (outcome.response.type !== 'doctor-result')
        throw new Error('the measuring process answered out of turn');
      const report = outcome.response.report;
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(report)}\n`
          : renderView({ view: doctorView, details: doctorDetails }, report, flags, viewOptions(flags)),
      );
      if (usableEntries(report) === 0)
        throw noAdapterError(`no backend gave a usable adapter. ${noAdapterAdvice()}`);
    });
}
