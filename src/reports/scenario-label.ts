/**
 * A scenario's name as every table and chart shows it: a fresh worker per op has only first ops,
 * and says so, since its figures are of cold ops where the others' are of warm ones.
 */
export function scenarioLabel(run: { readonly label: string; readonly everyOpCold: boolean }): string {
  return run.everyOpCold ? `${run.label} (all cold)` : run.label;
}
