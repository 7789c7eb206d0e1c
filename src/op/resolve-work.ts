import type { RunConfig } from '../config/profile-config.js';
import { usageError } from '../errors.js';
import { builtinKernel } from '../kernels/builtin/index.js';
import { DTYPE_INFO } from '../tensors/dtype.js';
import { workOfPasses, type OpWork } from '../work/op-work.js';
import { evaluateWorkFlag } from '../work/work-flag.js';

/**
 * What one op of the run does, by the first that says: --work, the op module's `work(args)`, a
 * built-in kernel's own declaration. A user's WGSL kernel without --work says nothing: it has a
 * time and no rate.
 */
export function resolveWork(config: RunConfig, moduleWork?: OpWork): OpWork | undefined {
  if (config.workExpressions)
    return evaluateWorkFlag(config.workExpressions, {
      size: config.size,
      elementBytes: DTYPE_INFO[config.dtype].bytes,
    });
  if (config.op) return moduleWork;
  if (config.kernelFile !== undefined) return undefined;
  return workOfPasses(builtinKernel(config.kernel).work(config.plan), 'kernel');
}

/**
 * An op module's `work(args)` answer, checked: `{ bytes, flops }`, each a finite number of zero
 * or more (either may be left out: 0). Anything else is the module's error, in one line.
 */
export function checkModuleWork(file: string, answer: unknown): OpWork {
  const refuse = (why: string): never => {
    throw usageError(`--op ${file}: its work() ${why}; it returns { bytes, flops } per op`);
  };
  if (typeof answer !== 'object' || answer === null) return refuse(`returned ${String(answer)}`);
  const { bytes = 0, flops = 0 } = answer as { bytes?: unknown; flops?: unknown };
  for (const [key, value] of [
    ['bytes', bytes],
    ['flops', flops],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      refuse(`gave ${key}: ${String(value)}, not a finite number of zero or more`);
  }
  return { bytes: bytes as number, flops: flops as number, from: 'op module' };
}
