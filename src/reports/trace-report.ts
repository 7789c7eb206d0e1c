import { markdownTable } from 'markdown-table';
import type { TraceResult } from '../results/result-types.js';
import type { CallsByKind, TraceFigures } from '../trace/trace-summary.js';
import { formatIn, formatPercent, unitFor, type TimeUnit } from './units.js';

const count = (n: number): string => n.toLocaleString('en-US');

function bytes(n: number): string {
  if (n === 0) return '-';
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

const CALL_ROWS: readonly [keyof CallsByKind, string][] = [
  ['creation', 'creation: requestDevice, shader modules, pipelines, bind groups'],
  ['buffers', 'creation: createBuffer (bytes: their sizes)'],
  ['uploads', 'upload: writeBuffer, writeTexture (bytes given)'],
  ['encoding', 'encoding: createCommandEncoder, finish'],
  ['submits', 'submit: queue.submit'],
  ['waiting', 'waiting for the GPU: onSubmittedWorkDone, mapAsync'],
];

/** Time inside GPU calls by kind, for one scope, against `wallNs`. */
export function callsTable(figures: TraceFigures, wallNs: number): string {
  const unit = unitFor(Math.max(figures.insideGpuCallsNs / 4, 1));
  const u = unit.label;
  const rows = CALL_ROWS.map(([key, label]) => {
    const c = figures.calls[key];
    return [label, count(c.count), formatIn(c.ns, unit), formatPercent(c.ns / wallNs), bytes(c.bytes)];
  });
  rows.push([
    'inside GPU calls, all kinds',
    count(CALL_ROWS.reduce((a, [k]) => a + figures.calls[k].count, 0)),
    formatIn(figures.insideGpuCallsNs, unit),
    formatPercent(figures.insideGpuCallsNs / wallNs),
    '',
  ]);
  return markdownTable([['Calls', 'Count', `Time [${u}]`, 'Of wall time', 'Bytes'], ...rows], {
    align: ['l', 'r', 'r', 'r', 'r'],
  });
}

function passUnit(result: TraceResult): TimeUnit {
  const medians = result.summary.all.passRows.map((r) => r.medianNs).filter((v) => Number.isFinite(v));
  return unitFor(medians.length > 0 ? Math.min(...medians) : 1000);
}

/** Compute passes by label, per thread: count, median and p99 GPU time, share of the thread's GPU time. */
export function passesTable(result: TraceResult): string {
  const unit = passUnit(result);
  const u = unit.label;
  const rows = result.summary.threads.flatMap((t) =>
    t.passRows.map((r) => [
      t.name,
      r.label,
      count(r.count),
      r.timed === r.count ? count(r.timed) : `${count(r.timed)} of ${count(r.count)}`,
      formatIn(r.medianNs, unit),
      formatIn(r.p99Ns, unit),
      formatIn(r.totalNs, unitFor(r.totalNs)) + ` ${unitFor(r.totalNs).label}`,
      Number.isFinite(r.share) ? formatPercent(r.share) : '-',
    ]),
  );
  return markdownTable(
    [
      ['Thread', 'Pass', 'Count', 'Timed', `Median [${u}]`, `p99 [${u}]`, 'GPU total', 'Of thread GPU time'],
      ...rows,
    ],
    { align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'] },
  );
}

/** The waits for the GPU, per thread: how long, and how much of it the GPU was running the thread's passes. */
export function waitsTable(result: TraceResult): string {
  const all = result.summary.threads.flatMap((t) => t.waitRows.map((w) => ({ t, w })));
  const unit = unitFor(Math.min(...all.map(({ w }) => w.medianNs).filter((v) => Number.isFinite(v)), 1e9));
  const u = unit.label;
  const rows = all.map(({ t, w }) => [
    t.name,
    w.kind,
    count(w.count),
    formatIn(w.medianNs, unit),
    formatIn(w.p99Ns, unit),
    formatIn(w.totalNs, unit),
    `${formatIn(w.gpuNs, unit)} (${formatPercent(w.totalNs > 0 ? w.gpuNs / w.totalNs : Number.NaN)})`,
    formatIn(w.latencyNs, unit),
  ]);
  return markdownTable(
    [
      [
        'Thread',
        'Wait',
        'Count',
        `Median [${u}]`,
        `p99 [${u}]`,
        `Total [${u}]`,
        `GPU busy in it [${u}]`,
        `Latency [${u}]`,
      ],
      ...rows,
    ],
    { align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'] },
  );
}

/** One row per thread: its wall time and where it went. */
export function threadsTable(result: TraceResult): string {
  const threads = result.summary.threads;
  const unit = unitFor(Math.max(...threads.map((t) => t.endNs - t.startNs), 1) / 10);
  const u = unit.label;
  const rows = threads.map((t) => {
    const c = t.calls;
    return [
      t.name,
      t.devices.map((d) => `#${d.id}${d.timestamps ? '' : ' (untimed)'}`).join(', '),
      formatIn(t.endNs - t.startNs, unit),
      formatIn(c.creation.ns + c.buffers.ns + c.uploads.ns, unit),
      formatIn(c.encoding.ns + c.submits.ns, unit),
      formatIn(c.waiting.ns, unit),
      formatIn(t.gpuBusyNs, unit),
      count(t.submits),
      count(t.passes),
    ];
  });
  return markdownTable(
    [
      [
        'Thread',
        'Devices',
        `Traced [${u}]`,
        `Creation + upload [${u}]`,
        `Encoding + submit [${u}]`,
        `Waiting [${u}]`,
        `GPU busy [${u}]`,
        'Submits',
        'Passes',
      ],
      ...rows,
    ],
    { align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] },
  );
}

function endLine(result: TraceResult): string {
  const p = result.program;
  const how =
    p.stoppedBy === 'duration'
      ? `stopped by --duration (SIGINT)${p.signal ? `, ended by ${p.signal}` : `, exit ${p.exitCode}`}`
      : p.stoppedBy === 'interrupt'
        ? `interrupted${p.signal ? ` (${p.signal})` : `, exit ${p.exitCode}`}`
        : p.signal
          ? `killed by ${p.signal}`
          : `exit ${p.exitCode}`;
  return `wgprof trace: ${p.command.join(' ')} (${how}; wall time ${formatIn(p.wallNs, unitFor(p.wallNs))} ${unitFor(p.wallNs).label})`;
}

function deviceLine(result: TraceResult): string {
  const adapters = [...new Set(result.summary.threads.flatMap((t) => t.devices.map((d) => d.adapter)))];
  const stamps = result.summary.timestamps;
  const exact = result.summary.quantizationOff;
  const timing =
    stamps === 'none'
      ? 'unavailable (CPU figures only)'
      : `${stamps === 'all' ? 'on' : 'on some devices'}, ${exact === false ? 'quantized' : 'exact'}`;
  return `device: ${adapters.join('; ') || 'none'}; GPU timestamps ${timing}`;
}

function hostLine(result: TraceResult): string {
  const env = result.environment;
  return `host: ${env.cpu.model} (${env.cpu.cores} cores), ${env.os.type} ${env.os.release} ${env.os.arch}, Node ${env.node}`;
}

/** The warning for events the result did not keep (--max-events), or undefined when it kept them all. */
export function droppedEventsWarning(result: TraceResult): string | undefined {
  const events = result.events;
  if (!events || events.dropped === 0) return undefined;
  return (
    `Warning: ${count(events.dropped)} of ${count(events.logged)} events were not stored (over --max-events ${count(events.max)}): ` +
    `the figures above count all of them, but result.json, its timeline and trace.json hold only each thread's first ` +
    `events (${count(events.kept)} in all). Raise --max-events to keep more.`
  );
}

/**
 * The trace's report as text (its tables are Markdown tables): what ran and on what, then the
 * whole program's time inside GPU calls, the GPU's busy time, the passes, the waits, each thread,
 * then the warning for events not stored, and the notes last.
 */
export function renderTrace(result: TraceResult): string {
  const { summary, program } = result;
  const all = summary.all;
  const threads = summary.threads.length;
  const wall = program.wallNs;
  const gpuUnit = unitFor(Math.max(all.gpuBusyNs, 1));
  const lines = [
    endLine(result),
    deviceLine(result),
    hostLine(result),
    '',
    `Time inside GPU calls, all ${threads} thread${threads === 1 ? '' : 's'} together (of the program's wall time; threads run side by side, so shares can add past 100%):`,
    '',
    callsTable(all, wall),
    '',
    `GPU busy: ${formatIn(all.gpuBusyNs, gpuUnit)} ${gpuUnit.label} (${formatPercent(all.gpuBusyNs / wall)} of wall time; the union of the timed passes, summed over devices), ` +
      `${count(all.passes)} compute passes (${count(all.timedPasses)} timed) in ${count(all.submits)} submits.`,
  ];
  if (all.passRows.length > 0)
    lines.push(
      '',
      'Compute passes by label (GPU time from the timestamps wgprof added):',
      '',
      passesTable(result),
    );
  if (all.waitRows.length > 0)
    lines.push(
      '',
      "Waits for the GPU (GPU busy in it: the device running the thread's own passes during the wait, from the timestamps; latency: the rest):",
      '',
      waitsTable(result),
    );
  lines.push('', 'Per thread:', '', threadsTable(result));
  const dropped = droppedEventsWarning(result);
  if (dropped !== undefined) lines.push('', dropped);
  if (result.notes.length > 0) lines.push('', 'Notes:', '', ...result.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}
