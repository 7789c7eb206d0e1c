import type { DoctorReport } from '../../device/doctor.js';
import { markdownTable } from 'markdown-table';
import { layoutMarkdown } from './markdown-layout.js';
import { fitTable } from './text-table.js';
import { joinSections, shortAdapter, type ViewOptions } from './view-parts.js';
import { wrapText } from './wrap.js';

/**
 * `wgprof doctor`: what wgprof can open here. The default view: a line per backend (usable or
 * why not, the adapter, timestamps); `--details` adds every feature of each device.
 */
export function doctorTable(report: DoctorReport): string {
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

export function doctorView(report: DoctorReport, options: ViewOptions): string {
  const { style, width } = options;
  const usable = report.entries.filter((e) => e.device && !e.device.noRealGpuWork);
  const head = wrapText(
    `${style.bold('wgprof doctor:')} ${usable.length} usable backend${usable.length === 1 ? '' : 's'} here${usable[0] ? ` (profile's auto picks ${usable[0].backend})` : ''}`,
    width,
  );
  const table = fitTable(
    {
      header: ['backend', 'level', 'adapter', 'timestamps'],
      rows: report.entries.map((e) => {
        const d = e.device;
        if (!d)
          return [
            e.backend,
            e.featureLevel,
            style.verdict('bad', `not usable: ${e.problem ?? 'no adapter'}`),
            '-',
          ];
        const name = shortAdapter(d.description || d.device);
        return [
          e.backend,
          e.featureLevel,
          d.noRealGpuWork ? style.dim(`${name} (plumbing only: no GPU work)`) : name,
          d.timestamps ? 'yes' : 'no',
        ];
      }),
      align: ['l', 'l', 'l', 'l'],
    },
    width,
    style.dim,
  );
  return joinSections([head, table, [style.dim('--details: every feature of each device')]]);
}

export function doctorDetails(report: DoctorReport, options: ViewOptions): string {
  return joinSections([layoutMarkdown(doctorTable(report), options.width, options.style.dim)]);
}
