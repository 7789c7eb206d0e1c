import { usageError } from '../errors.js';
import type { OpWork } from './op-work.js';
import { evaluateWork, parseWorkExpression, type WorkScope } from './work-expression.js';

/** What `--work` may set: bytes read plus written per op, and arithmetic operations per op. */
const KEYS = ['bytes', 'flops'] as const;
type WorkKey = (typeof KEYS)[number];

/** `--work bytes=EXPR,flops=EXPR` as given, key by key (either may be left out: it is then 0). */
export type WorkExpressions = Readonly<Partial<Record<WorkKey, string>>>;

/**
 * Reads `bytes=8*size,flops=2*size`: each key once, each value an expression of the op's size
 * (work-expression.ts). Refused, as one line, for an unknown key, a repeated one or a bad expression.
 */
export function parseWorkFlag(text: string): WorkExpressions {
  const out: Partial<Record<WorkKey, string>> = {};
  // Commas split keys; a comma inside a call (max(a, b)) does not.
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!(KEYS as readonly string[]).includes(key))
      throw usageError(`--work takes ${KEYS.map((k) => `${k}=EXPR`).join(',')}, not '${part.trim()}'`);
    if (value === '') throw usageError(`--work ${key}= needs an expression, e.g. ${key}=8*size`);
    if (out[key as WorkKey] !== undefined) throw usageError(`--work sets ${key} twice`);
    parseWorkExpression(value, key);
    out[key as WorkKey] = value;
  }
  if (Object.keys(out).length === 0) throw usageError('--work needs bytes=EXPR and/or flops=EXPR');
  return out;
}

/**
 * The work the expressions give at this size: each value a finite number of zero or more, or
 * the run is refused (before anything is measured) with the value it gave.
 */
export function evaluateWorkFlag(expressions: WorkExpressions, scope: WorkScope): OpWork {
  const value = (key: WorkKey): number => {
    const text = expressions[key];
    if (text === undefined) return 0;
    const x = evaluateWork(parseWorkExpression(text, key), scope);
    if (!Number.isFinite(x))
      throw usageError(
        `--work ${key}=${text} is not a finite number at --size ${scope.size} (it gives ${x})`,
      );
    if (x < 0)
      throw usageError(`--work ${key}=${text} is negative at --size ${scope.size} (${x}): work cannot be`);
    return x;
  };
  return { bytes: value('bytes'), flops: value('flops'), from: '--work', expressions: { ...expressions } };
}
