import { createHash } from 'node:crypto';
import { peakReference, type PeakReference } from '../work/peak-reference.js';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceInfo } from '../device/device-info.js';
import { ioError, messageOf } from '../errors.js';
import type { PeakResult } from './result-types.js';
import { validateResult } from './validate-result.js';
import { writeAtomically } from './write-result.js';

/**
 * The latest peak of each adapter on each host, kept where `profile` finds it:
 * `<results>/peak/<key>.json`, one file per adapter and host CPU, replaced by each new `wgprof peak` of it. The run's own result.json stays
 * in its run folder as for every command; this is a copy under a name that does not change.
 */

/** The folder under the results folder that holds the latest peaks. */
export const PEAK_FOLDER = 'peak';

/** Characters of the readable part of a key, at most: file names stay short on every file system. */
const READABLE_CHARS = 80;

/**
 * Whose peak: an adapter on a host. The host's CPU is part of it: a small op's floors (submit,
 * dispatch, read-back) are CPU work on every adapter, and a software adapter's every figure is, so
 * a results folder shared between machines (a CI cache, a downloaded artifact) must not lend one
 * host's peak to another's profiles.
 */
export interface PeakMachine {
  readonly device: DeviceInfo;
  readonly environment: { readonly cpu: { readonly model: string; readonly cores: number } };
}

/**
 * A stable, file-system-safe name for an adapter on a host: its backend, vendor, architecture,
 * device and description, lower-cased, with anything but letters, digits, dots and dashes made a
 * dash (at most 80 characters), then 8 hex digits of a hash of all of them and the host's CPU
 * model and core count, so that two adapters whose names differ only where they were cut or made
 * dashes, or one adapter on two hosts, still get two keys.
 * "vulkan-mesa-software-llvmpipe-mesa-25.0.7-...-1a2b3c4d".
 */
export function peakKey({ device, environment }: PeakMachine): string {
  const parts = [device.backend, device.vendor, device.architecture, device.device, device.description];
  const readable = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, READABLE_CHARS)
    .replace(/[-.]+$/, '');
  const host = [environment.cpu.model, environment.cpu.cores];
  const hash = createHash('sha256')
    .update(JSON.stringify([...parts, ...host]))
    .digest('hex')
    .slice(0, 8);
  return `${readable || 'adapter'}-${hash}`;
}

/** Where the latest peak of `machine`'s adapter and host is kept under `outDir`. */
export function latestPeakPath(outDir: string, machine: PeakMachine): string {
  return join(outDir, PEAK_FOLDER, `${peakKey(machine)}.json`);
}

/**
 * Keeps `result` as the latest peak of its adapter, `<outDir>/peak/<key>.json`, written
 * atomically (complete or absent, never half-written); returns its path.
 *
 * @throws WgprofError (io, exit 7) when the folder or file cannot be written.
 */
export async function saveLatestPeak(outDir: string, result: PeakResult): Promise<string> {
  const folder = join(outDir, PEAK_FOLDER);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw ioError(`cannot create ${folder}: ${messageOf(error)}`);
  }
  const path = latestPeakPath(outDir, result);
  await writeAtomically(path, `${JSON.stringify(result)}\n`);
  return path;
}

/**
 * The latest peak of `device`'s adapter under `outDir`, read synchronously; undefined when there
 * is none, or when the file is not one this wgprof reads: missing, unreadable, not JSON, of
 * another schema version, not a valid peak result, or of another adapter or host. It never throws: a
 * profile without a peak is a profile without shares of one.
 */
export function findLatestPeak(outDir: string, machine: PeakMachine): PeakResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(latestPeakPath(outDir, machine), 'utf8'));
  } catch {
    return undefined;
  }
  const validation = validateResult(data);
  if (!validation.ok || validation.result.kind !== 'peak') return undefined;
  return peakKey(validation.result) === peakKey(machine) ? validation.result : undefined;
}

/**
 * The figures of the latest peak saved for this adapter, as a profile, breakdown or sync reads
 * them; undefined when there is none, or only a --quick one (a check of the machinery, not the
 * device's limits).
 */
export function savedPeak(outDir: string, machine: PeakMachine): PeakReference | undefined {
  const saved = findLatestPeak(outDir, machine);
  return saved && !saved.settings.quick ? peakReference(saved, 'saved') : undefined;
}
