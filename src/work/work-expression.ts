import jsep from 'jsep';
import { usageError } from '../errors.js';

/**
 * `--work` expressions: arithmetic on the op's size, parsed by jsep and evaluated here over a
 * fixed set of names and functions, so that a flag can never run code.
 */

/** The names an expression may use, with what they mean (for the error that lists them). */
export const WORK_NAMES = {
  size: 'elements per tensor (--size)',
  elementBytes: 'bytes per element of --dtype (4 for f32, 2 for f16)',
} as const;
export type WorkName = keyof typeof WORK_NAMES;
export type WorkScope = Readonly<Record<WorkName, number>>;

const FUNCTIONS: Readonly<Record<string, (...xs: number[]) => number>> = {
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  log2: Math.log2,
  ceil: Math.ceil,
  floor: Math.floor,
  round: Math.round,
  min: Math.min,
  max: Math.max,
};

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
};

export type WorkExpression = jsep.Expression;

/** Parses an expression, refusing anything but numbers, the names, the functions and arithmetic. */
export function parseWorkExpression(text: string, what: string): WorkExpression {
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (error) {
    throw usageError(`--work ${what}: '${text}' is not an expression (${(error as Error).message})`);
  }
  check(tree, text, what);
  return tree;
}

/** The parts of jsep's nodes read here, typed (its generic node types every field `unknown`). */
type Node =
  | { readonly type: 'Literal'; readonly value: unknown; readonly raw: string }
  | { readonly type: 'Identifier'; readonly name: string }
  | {
      readonly type: 'BinaryExpression';
      readonly operator: string;
      readonly left: Node;
      readonly right: Node;
    }
  | { readonly type: 'UnaryExpression'; readonly operator: string; readonly argument: Node }
  | { readonly type: 'CallExpression'; readonly callee: Node; readonly arguments: readonly Node[] }
  | { readonly type: 'other'; readonly kind: string };

function nodeOf(expression: jsep.Expression): Node {
  switch (expression.type) {
    case 'Literal':
    case 'Identifier':
    case 'BinaryExpression':
    case 'UnaryExpression':
    case 'CallExpression':
      return expression as unknown as Node;
    default:
      return { type: 'other', kind: expression.type };
  }
}

const calleeName = (callee: Node): string => (callee.type === 'Identifier' ? callee.name : '');

function check(expression: jsep.Expression, text: string, what: string): void {
  const refuse = (why: string): never => {
    throw usageError(`--work ${what}: '${text}': ${why}`);
  };
  const node = nodeOf(expression);
  switch (node.type) {
    case 'Literal':
      if (typeof node.value !== 'number') refuse(`${node.raw} is not a number`);
      return;
    case 'Identifier':
      if (!Object.hasOwn(WORK_NAMES, node.name))
        refuse(
          `unknown name '${node.name}': use ${Object.entries(WORK_NAMES)
            .map(([name, meaning]) => `${name} (${meaning})`)
            .join(' or ')}`,
        );
      return;
    case 'BinaryExpression':
      if (!Object.hasOwn(BINARY, node.operator)) refuse(`'${node.operator}' is not arithmetic`);
      check(node.left as unknown as jsep.Expression, text, what);
      check(node.right as unknown as jsep.Expression, text, what);
      return;
    case 'UnaryExpression':
      if (node.operator !== '-' && node.operator !== '+') refuse(`'${node.operator}' is not arithmetic`);
      check(node.argument as unknown as jsep.Expression, text, what);
      return;
    case 'CallExpression': {
      const name = calleeName(nodeOf(node.callee as unknown as jsep.Expression));
      if (!Object.hasOwn(FUNCTIONS, name))
        refuse(`unknown function '${name || '?'}': use ${Object.keys(FUNCTIONS).join(', ')}`);
      for (const arg of node.arguments) check(arg as unknown as jsep.Expression, text, what);
      return;
    }
    case 'other':
      refuse(
        `${node.kind} is not allowed: only numbers, ${Object.keys(WORK_NAMES).join(', ')}, arithmetic and ${Object.keys(FUNCTIONS).join(', ')}`,
      );
  }
}

/** The expression's value over `scope`: any number, NaN or infinite included (the caller judges it). */
export function evaluateWork(expression: WorkExpression, scope: WorkScope): number {
  const node = nodeOf(expression);
  const sub = (n: Node): number => evaluateWork(n as unknown as jsep.Expression, scope);
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'number' ? node.value : NaN;
    case 'Identifier':
      return Object.hasOwn(scope, node.name) ? scope[node.name as WorkName] : NaN;
    case 'BinaryExpression':
      return (BINARY[node.operator] ?? (() => NaN))(sub(node.left), sub(node.right));
    case 'UnaryExpression':
      return node.operator === '-' ? -sub(node.argument) : sub(node.argument);
    case 'CallExpression': {
      const fn = FUNCTIONS[calleeName(nodeOf(node.callee as unknown as jsep.Expression))] ?? (() => NaN);
      return fn(...node.arguments.map(sub));
    }
    case 'other':
      return NaN;
  }
}
