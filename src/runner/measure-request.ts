import type { AnyResult } from '../results/result-types.js';
import { collectProvenance } from '../results/provenance.js';
import { chooseNodeFlags } from './node-flags.js';
import { withRates } from '../results/with-rates.js';
import type { MeasuringRequest, Progress } from './protocol.js';
import { runReplicatedProfile, type ProfileOutcome } from './replicated-profile.js';
import { runInChild, type ChildOptions } from './run-in-child.js';

export type MeasureOptions = Pick<ChildOptions, 'verbose' | 'onNativeLine' | 'interrupts'> & {
  readonly onProgress?: (p: Progress) => void;
  /** --label: a name for the run in its provenance. */
  readonly label?: string;
};

/** What a measurement brought back: the result, with the lines Dawn printed, and a process that died, if one did. */
export interface Measured<R extends AnyResult> {
  readonly result: R;
  readonly died?: ProfileOutcome['died'];
}

/**
 * Runs one measuring request in measuring processes (a profile: one per scenario and replicate;
 * breakdown and sync: one) and returns the assembled result: what the CLI prints and writes,
 * and what the API returns. Nothing is written here.
 */
export async function measureRequest<R extends AnyResult>(
  request: MeasuringRequest & { readonly type: R['kind'] },
  options: MeasureOptions = {},
): Promise<Measured<R>> {
  const measured =
    request.type === 'profile'
      ? await runReplicatedProfile(request, options)
      : await inOneProcess(request, options);
  if (measured.result.kind !== request.type) throw new Error('the measuring process answered out of turn');
  // The measuring processes assembled the result; only the lines Dawn printed on their pipes and
  // the host's Node flags they were given or not, which this process alone knows, are added here.
  const { passed, dropped } = chooseNodeFlags();
  // A profile's rates (its op's declared work over its times) are figures of its summary: added
  // here, where the CLI and the API both pass; their shares of a peak are the caller's to add.
  const assembled = measured.result.kind === 'profile' ? withRates(measured.result) : measured.result;
  const result = {
    ...(assembled as R),
    environment: { ...measured.result.environment, nodeFlags: { passed, dropped } },
    nativeMessages: measured.nativeMessages,
    // The caller's folder and label: this process's, not the measuring processes'.
    provenance: collectProvenance(process.cwd(), options.label),
  };
  return measured.died ? { result, died: measured.died } : { result };
}

/** breakdown and sync: one measuring process does it all. */
async function inOneProcess(
  request: MeasuringRequest,
  options: MeasureOptions,
): Promise<{ result: AnyResult; nativeMessages: string[]; died?: undefined }> {
  const outcome = await runInChild(request, {
    ...(options.verbose === undefined ? {} : { verbose: options.verbose }),
    ...(options.onNativeLine ? { onNativeLine: options.onNativeLine } : {}),
    ...(options.interrupts ? { interrupts: options.interrupts } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (outcome.response.type !== 'result') throw new Error('the measuring process answered out of turn');
  return { result: outcome.response.result, nativeMessages: outcome.nativeMessages };
}
