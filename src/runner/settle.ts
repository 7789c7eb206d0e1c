import os from 'node:os';
import type { Settle } from '../results/result-types.js';
import { setTimeout as sleep } from 'node:timers/promises';

export type { Settle };

/** Below this share of all cores busy, the machine is quiet enough to start measuring. */
export const QUIET_BUSY_SHARE = 0.15;
/** How long each sample window is, ms. */
const WINDOW_MS = 50;

function busyAndTotal(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.irq + t.idle;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

/** The share of all cores busy over one window (os.cpus() counters, every platform Node runs on). */
async function busyShareOver(ms: number): Promise<number> {
  const before = busyAndTotal();
  await sleep(ms);
  const after = busyAndTotal();
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

/**
 * Waits until the machine is quiet (the last measuring process's threads gone, nothing else
 * hogging the cores), at most `maxMs`: what a process leaves behind as it exits must not land on
 * the next one's figures. Two quiet windows in a row count as quiet.
 */
export async function settle(maxMs: number): Promise<Settle> {
  const started = Date.now();
  let quietWindows = 0;
  let busyShare = 0;
  while (Date.now() - started < maxMs) {
    busyShare = await busyShareOver(WINDOW_MS);
    quietWindows = busyShare <= QUIET_BUSY_SHARE ? quietWindows + 1 : 0;
    if (quietWindows >= 2) return { waitedMs: Date.now() - started, busyShare, quiet: true };
  }
  return { waitedMs: Date.now() - started, busyShare, quiet: false };
}
