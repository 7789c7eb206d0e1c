import { markdownTable } from 'markdown-table';
import type { TraceResult } from '../results/result-types.js';
import type { CallsByKind, TraceFigures, WaitRow } from '../trace/trace-summary.js';
import { gpuFiguresShown, timingLine } from './trace-timing.js';
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

/**
 * Compute passes by label, per thread: count, median and p99 GPU time, share of the thread's GPU
 * time; the counts only when the trace has no GPU time to show (untrusted timestamps, or none taken).
 */
export function passesTable(result: TraceResult): string {
  if (!gpuFiguresShown(result.summary) || result.summary.all.timedPasses === 0) {
    const rows = result.summary.threads.flatMap((t) =>
      t.passRows.map((r) => [t.name, r.label, count(r.count)]),
    );
    return markdownTable([['Thread', 'Pass', 'Count'], ...rows], { align: ['l', 'l', 'r'] });
  }
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

/**
 * The waits for the GPU, per thread: how long, and how much of it the GPU was running the
 * thread's passes; the times only when the trace has no GPU time to split them by.
 */
export function waitsTable(result: TraceResult): string {
  const all = result.summary.threads.flatMap((t) => t.waitRows.map((w) => ({ t, w })));
  const unit = unitFor(Math.min(...all.map(({ w }) => w.medianNs).filter((v) => Number.isFinite(v)), 1e9));
  const u = unit.label;
  const split = splitShown(result);
  const rows = all.map(({ t, w }) => [
    t.name,
    w.kind,
    count(w.count),
    formatIn(w.medianNs, unit),
    formatIn(w.p99Ns, unit),
    formatIn(w.totalNs, unit),
    ...(split ? splitCells(w, unit) : []),
  ]);
  const header = ['Thread', 'Wait', 'Count', `Median [${u}]`, `p99 [${u}]`, `Total [${u}]`];
  if (split) header.push(`GPU busy in it [${u}]`, `Latency [${u}]`);
  return markdownTable([header, ...rows], { align: header.map((_, k) => (k < 2 ? 'l' : 'r')) });
}

/** Whether the waits can be split into GPU time and latency: trusted timestamps, and some pass with a GPU time. */
function splitShown(result: TraceResult): boolean {
  return gpuFiguresShown(result.summary) && result.summary.all.timedPasses > 0;
}

/**
 * A wait row's GPU busy and latency cells: of the waits whose passes all have a GPU time (all
 * of them before wgprof sampled), "in K of N" when not every wait; '-' when none.
 */
function splitCells(w: WaitRow, unit: TimeUnit): [string, string] {
  const split = w.splitCount ?? w.count;
  const splitNs = w.splitNs ?? w.totalNs;
  if (split === 0) return ['-', '-'];
  const of = split < w.count ? ` in ${count(split)} of ${count(w.count)}` : '';
  return [
    `${formatIn(w.gpuNs, unit)} (${formatPercent(splitNs > 0 ? w.gpuNs / splitNs : Number.NaN)})${of}`,
    `${formatIn(w.latencyNs, unit)}${of}`,
  ];
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
      gpuFiguresShown(result.summary) ? formatIn(t.gpuBusyNs, unit) : '-',
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

export function endLine(result: TraceResult): string {
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

export function deviceLine(result: TraceResult): string {
  const adapters = [...new Set(result.summary.threads.flatMap((t) => t.devices.map((d) => d.adapter)))];
  const stamps = result.summary.timestamps;
  const exact = result.summary.quantizationOff;
  const used = result.summary.timing?.gpuTime;
  // --gpu-time none first: the devices then lack timestamp-query because wgprof did not add it.
  const timing =
    used === 'none'
      ? 'not used (--gpu-time none)'
      : stamps === 'none'
        ? 'unavailable (CPU figures only)'
        : `${stamps === 'all' ? 'on' : 'on some devices'}, ${exact === false ? 'quantized' : 'exact'}` +
          (used === undefined ? '' : `, --gpu-time ${used}`) +
          (gpuFiguresShown(result.summary) ? '' : ', readings failed their checks (CPU-side figures only)');
  return `device: ${adapters.join('; ') || 'none'}; GPU timestamps ${timing}`;
}

/** The GPU's busy time in a line, or why there is none. */
export function gpuBusyLine(result: TraceResult): string {
  const all = result.summary.all;
  const wall = result.program.wallNs;
  const passes = `${count(all.passes)} compute passes (${count(all.timedPasses)} with a GPU time) in ${count(all.submits)} submits`;
  if (!gpuFiguresShown(result.summary))
    return `GPU busy: not reported (the timestamps failed their checks, see the notes); ${passes}.`;
  if (result.summary.timing?.gpuTime === 'none')
    return `GPU busy: not measured (--gpu-time none); ${passes}.`;
  const gpuUnit = unitFor(Math.max(all.gpuBusyNs, 1));
  const bound =
    all.timedPasses < all.passes && all.timedPasses > 0
      ? '; a lower bound: only passes with a GPU time count'
      : '';
  return (
    `GPU busy: ${formatIn(all.gpuBusyNs, gpuUnit)} ${gpuUnit.label} (${formatPercent(all.gpuBusyNs / wall)} of wall time; ` +
    `the union of the timed passes, summed over devices${bound}), ${passes}.`
  );
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
  const shown = splitShown(result);
  const lines = [
    endLine(result),
    deviceLine(result),
    hostLine(result),
    '',
    `Time inside GPU calls, all ${threads} thread${threads === 1 ? '' : 's'} together (of the program's wall time; threads run side by side, so shares can add past 100%):`,
    '',
    callsTable(all, wall),
    '',
    gpuBusyLine(result),
  ];
  const timing = timingLine(summary.timing);
  if (timing !== undefined) lines.push('', timing);
  if (all.passRows.length > 0)
    lines.push(
      '',
      shown
        ? 'Compute passes by label (GPU time from the timestamps wgprof added):'
        : 'Compute passes by label (no GPU time to show):',
      '',
      passesTable(result),
    );
  if (all.waitRows.length > 0)
    lines.push(
      '',
      shown
        ? "Waits for the GPU (GPU busy in it: the device running the thread's own passes during the wait, from the timestamps, of the waits whose passes all have a GPU time; latency: the rest):"
        : 'Waits for the GPU (not split into GPU time and latency: no GPU time to split them by):',
      '',
      waitsTable(result),
    );
  lines.push('', 'Per thread:', '', threadsTable(result));
  const dropped = droppedEventsWarning(result);
  if (dropped !== undefined) lines.push('', dropped);
  if (result.notes.length > 0) lines.push('', 'Notes:', '', ...result.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}
