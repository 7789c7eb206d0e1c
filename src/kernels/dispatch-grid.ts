/**
 * Spreads `groups` workgroups over x and y when one dimension's limit (65,535 by default) is not
 * enough. Kernels recover the linear index as (wg.y * num_workgroups.x + wg.x); the few extra
 * groups of the last row see an index past n and return.
 */
export function dispatchGrid(groups: number, maxPerDimension: number): [number, number, number] {
  if (groups <= maxPerDimension) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / maxPerDimension);
  const x = Math.ceil(groups / y);
  return [x, y, 1];
}

export function gridSize([x, y, z]: readonly [number, number, number]): number {
  return x * y * z;
}
