import { usageError } from '../../errors.js';
import type { BuiltinKernel } from '../builtin-kernel.js';
import { add } from './add.js';
import { fill } from './fill.js';
import { matmul } from './matmul.js';
import { noop } from './noop.js';
import { reduceSum } from './reduce-sum.js';
import { scale } from './scale.js';

export const BUILTIN_KERNELS: readonly BuiltinKernel[] = [noop, fill, scale, add, matmul, reduceSum];

export function builtinKernel(name: string): BuiltinKernel {
  const spec = BUILTIN_KERNELS.find((k) => k.name === name);
  if (!spec) {
    throw usageError(
      `unknown kernel '${name}': choose one of ${BUILTIN_KERNELS.map((k) => k.name).join(', ')}`,
    );
  }
  return spec;
}
