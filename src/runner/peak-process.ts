import { openDevice } from '../device/open-device.js';
import { ExitCode, WgprofError } from '../errors.js';
import { stopRequested } from '../measurement/stop-request.js';
import { runPeak } from '../peak/run-peak.js';
import { collectEnvironment } from '../results/environment.js';
import { RESULT_SCHEMA, RESULT_VERSION, type PeakResult } from '../results/result-types.js';
import type { PeakRequest, Progress } from './protocol.js';

/**
 * What the measuring process does with a peak request: open the device asked for, measure its
 * limits (peak/run-peak.ts), close it, and wrap the figures in a result. The CLI process adds the
 * lines Dawn printed and the Node flags (runner/measure-peak.ts).
 */
export async function measurePeakHere(
  request: PeakRequest,
  onProgress: (p: Progress) => void,
): Promise<PeakResult> {
  const environment = collectEnvironment();
  const gpu = await openDevice(request.device);
  try {
    const measured = await runPeak(gpu, {
      quick: request.quick,
      stop: stopRequested,
      onStep: (label, done, total) => onProgress({ label, done, total }),
    });
    // A peak cut short is no device's limit: nothing of it is kept.
    if (stopRequested()) throw new WgprofError('interrupted: no peak was saved', ExitCode.interrupted);
    return {
      schema: RESULT_SCHEMA,
      version: RESULT_VERSION,
      kind: 'peak',
      createdAt: new Date().toISOString(),
      command: request.command,
      environment,
      nativeMessages: [],
      device: gpu.info,
      ...measured,
    };
  } finally {
    gpu.close();
  }
}
