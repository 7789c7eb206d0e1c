import { Command } from 'commander';
import { markdownTable } from 'markdown-table';
import type { DoctorReport } from '../device/doctor.js';
import { noAdapterAdvice } from '../device/open-device.js';
import { noAdapterError } from '../errors.js';
import { runInChild } from '../runner/run-in-child.js';

export function renderDoctor(report: DoctorReport): string {
  const rows = report.entries.map((e) => {
    const d = e.device;
    if (!d) return [e.backend, e.featureLevel, 'no', e.problem ?? '', '', ''];
    return [
      e.backend,
      e.featureLevel,
      d.noRealGpuWork ? 'plumbing only' : 'yes',
      `${d.vendor} ${d.description || d.device}`.trim(),
      d.timestamps ? 'yes' : 'no',
      d.deviceFeatures.filter((f) => f !== 'timestamp-query').join(' '),
    ];
  });
  return markdownTable([['Backend', 'Level', 'Usable', 'Adapter', 'Timestamps', 'Other features'], ...rows]);
}

export function usableEntries(report: DoctorReport): number {
  return report.entries.filter((e) => e.device && !e.device.noRealGpuWork).length;
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('list the backends and adapters wgprof can open here, with their features')
    .option('--json', 'print the report as JSON')
    .option('-v, --verbose', 'show every line Dawn prints')
    .action(async (flags: { json?: boolean; verbose?: boolean }) => {
      const outcome = await runInChild({ type: 'doctor' }, { verbose: flags.verbose ?? false });
      if (outcome.response.type !== 'doctor-result')
        throw new Error('the measuring process answered out of turn');
      const report = outcome.response.report;
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${renderDoctor(report)}\n`);
      if (usableEntries(report) === 0)
        throw noAdapterError(`no backend gave a usable adapter. ${noAdapterAdvice()}`);
    });
}
