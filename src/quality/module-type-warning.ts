import { shownFile } from '../op/op-module.js';
import type { ProfileResult, QualityWarning } from '../results/result-types.js';

/**
 * An op module whose type Node has to guess (config/op-flags.ts typelessPackage): Node parses it
 * as CommonJS, fails, and parses it again as ESM in every thread that imports it, with a warning
 * each time, which wgprof's measuring processes silence for this one warning and say here once.
 * Nothing measured changes: the import happens before the first op.
 */
export function typelessModule(result: ProfileResult): QualityWarning[] {
  const op = result.config.op;
  if (op?.typelessPackage === undefined) return [];
  const where =
    op.typelessPackage === null
      ? 'no package.json above it'
      : `${shownFile(op.typelessPackage)} has no "type"`;
  return [
    {
      code: 'op-module-typeless',
      message: `--op ${shownFile(op.file)}: Node has to guess that it is an ES module (${where}): every thread parses it twice, and a Node that does not guess refuses it ("Unexpected token 'export'").`,
      advice: 'Name it .mts (or .mjs), or set "type": "module" in its package.json.',
    },
  ];
}
