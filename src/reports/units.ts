/** A time unit for a whole table, chosen once so every cell of a column reads alike. */
export interface TimeUnit {
  readonly label: 'ns' | 'us' | 'ms' | 's';
  readonly ns: number;
}

const UNITS: readonly TimeUnit[] = [
  { label: 's', ns: 1e9 },
  { label: 'ms', ns: 1e6 },
  { label: 'us', ns: 1e3 },
  { label: 'ns', ns: 1 },
];

/** The largest unit in which `typicalNs` is at least 1 (so 0.25 ms prints as 250 us). */
export function unitFor(typicalNs: number): TimeUnit {
  return UNITS.find((u) => typicalNs >= u.ns) ?? { label: 'ns', ns: 1 };
}

/** Three significant digits, at least one decimal below 100; '-' for a missing value. */
export function formatIn(ns: number | undefined, unit: TimeUnit): string {
  if (ns === undefined || !Number.isFinite(ns)) return '-';
  return formatNumber(ns / unit.ns);
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  // Thousands separators keep wide ranges readable in one unit (159,984 us).
  if (abs >= 10_000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '-';
}

/** "12.2 ms", "-3.1 us": a duration in its own unit. */
export function formatDuration(ns: number): string {
  const unit = unitFor(Math.abs(ns));
  return `${formatIn(ns, unit)} ${unit.label}`;
}
