import type { ComponentRow } from './experiment.js';

/** One part of the fresh-worker op's cost, from consecutive measured rows. */
export interface AttributionItem {
  readonly component: string;
  readonly ns: number;
  /** Share of the full fresh-worker op's median, in %. */
  readonly percent: number;
}

type Steps = readonly (readonly [component: string, rowId: string])[];

/** Each attributed component, and the id of the cumulative worker row that adds it, in order. */
export function attributionSteps(createId: string): Steps {
  return [
    ['worker create and join', 'worker.empty'],
    ['loading dawn.node', 'worker.load'],
    ['opening the adapter and device', 'worker.device'],
    ['tensor creation', createId],
    ['kernel compile and dispatch', 'worker.dispatch'],
    ['waiting for the GPU, and the rest of the op', 'worker.op'],
  ];
}

/** The same for an op module: what a library costs a fresh worker before its first op. */
export function moduleAttributionSteps(): Steps {
  return [
    ['worker create and join', 'worker.empty'],
    ['loading dawn.node', 'worker.load'],
    ['opening the adapter and device', 'worker.device'],
    ['importing the op module', 'worker.import'],
    ['its setup', 'worker.setup'],
    ['the op, and the rest', 'worker.op'],
  ];
}

/**
 * Which components account for a fresh-worker op's cost. The worker rows are cumulative (each
 * does what the one before it did, and one more thing), so each component's cost is its row's
 * median minus the previous row's: attribution by subtraction of measured rows, and said so.
 * The items add up to the full op's median exactly.
 */
export function attributeFreshOp(rows: readonly ComponentRow[], order: Steps): AttributionItem[] {
  const median = (id: string): number | undefined => rows.find((r) => r.id === id)?.summary?.median;
  const steps = order.map(([component, id]) => [component, median(id)] as const);
  const full = median('worker.op');
  if (full === undefined || full <= 0 || steps.some(([, v]) => v === undefined)) return [];
  let previous = 0;
  return steps.map(([component, cumulative]) => {
    const ns = (cumulative ?? 0) - previous;
    previous = cumulative ?? 0;
    return { component, ns, percent: (100 * ns) / full };
  });
}
