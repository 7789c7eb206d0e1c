import type { BenchReport } from './bench-types.js';

/** Parent -> measuring child: run the bench once. */
export interface BenchRequest {
  readonly type: 'run';
  readonly quick: boolean;
  readonly command: readonly string[];
  /** Run only these sections, by number or name ('6', 'coverage'); all of them if absent. */
  readonly only?: readonly string[];
  /** The coverage row keeps each repeat's JSON result here. */
  readonly rawDir?: string;
}

/** Measuring child -> parent. */
export type BenchResponse =
  | { readonly type: 'progress'; readonly label: string; readonly done: number; readonly total: number }
  | { readonly type: 'report'; readonly report: BenchReport }
  | { readonly type: 'error'; readonly message: string };
