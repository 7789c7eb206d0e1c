import type { BackendChoice } from '../device/backend.js';
import { collectProvenance } from '../results/provenance.js';
import type { PeakResult } from '../results/result-types.js';
import { chooseNodeFlags } from './node-flags.js';
import type { Progress } from './protocol.js';
import { runInChild } from './run-in-child.js';

/** What `measurePeak` takes: the device, as `profile` takes it, and how long to measure. */
export interface MeasurePeakOptions {
  /** `auto` (default) tries the platform's own API, then OpenGL ES. */
  readonly backend?: BackendChoice;
  /** A substring of the adapter's name (Dawn's `adapter=` toggle). */
  readonly adapter?: string;
  /** The short sweep and budgets (about 3 s on lavapipe): checks the machinery, not the device's limits. Default false. */
  readonly quick?: boolean;
  readonly onProgress?: (p: Progress) => void;
  /** Every line Dawn prints goes to stderr (default: only those that may matter). */
  readonly verbose?: boolean;
  /** --label: a name for the run in its provenance. */
  readonly label?: string;
  /** The command line for the result's record (default: `wgprof peak`). */
  readonly command?: readonly string[];
}

/**
 * Measures the limits of the adapter `options` name (a default run: under 30 s on lavapipe) in a
 * measuring process of its own, as `breakdown` and `sync` are measured, and returns the result.
 * Nothing is written here: the CLI writes result.json and the latest peak (results/peak-store.ts).
 *
 * @throws WgprofError: no adapter (exit 4), a GPU failure (5), interrupted (130).
 */
export async function measurePeak(options: MeasurePeakOptions = {}): Promise<PeakResult> {
  const outcome = await runInChild(
    {
      type: 'peak',
      device: {
        backend: options.backend ?? 'auto',
        ...(options.adapter === undefined ? {} : { adapter: options.adapter }),
      },
      quick: options.quick ?? false,
      command: options.command ?? ['wgprof', 'peak'],
    },
    {
      verbose: options.verbose ?? false,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  if (outcome.response.type !== 'peak-result') throw new Error('the measuring process answered out of turn');
  const result = outcome.response.result;
  const { passed, dropped } = chooseNodeFlags();
  return {
    ...result,
    environment: { ...result.environment, nodeFlags: { passed, dropped } },
    nativeMessages: outcome.nativeMessages,
    provenance: collectProvenance(process.cwd(), options.label),
  };
}
