import type { ProfileResult, QualityWarning } from '../results/result-types.js';

/**
 * The checks on what an op module's ops did (instrument/op-activity.ts): buffers that outlive
 * the op that made them. Judged on warm ops only: a library's first op on a device fills its
 * buffer pool (TensorFlow.js keeps a few), and a fresh worker's every op is a first op.
 */
export function leakedBuffers(result: ProfileResult): QualityWarning[] {
  return result.runs.flatMap((run): QualityWarning[] => {
    const left = run.activity?.counts.buffersLeft ?? 0;
    if (run.everyOpCold || !(left > 0)) return [];
    return [
      {
        code: 'op-leaks-buffers',
        scenario: run.label,
        message:
          `${run.label}: each op left ${left} buffer${left === 1 ? '' : 's'} alive (median per op: created in its create or dispatch, ` +
          'not destroyed by the end of its release): GPU memory grows with every op.',
        advice:
          "Destroy what create and dispatch make in the module's release (buffer.destroy()), or make it once in setup and reuse it; " +
          "a library's own pool shows here too if it keeps growing.",
      },
    ];
  });
}
