/**
 * The compute entry points of a WGSL module, for naming the passes of a pipeline that has no
 * label: a pipeline created without `compute.entryPoint` runs the module's only `@compute`
 * function (WebGPU's rule). A regex, not a WGSL parser: this runs inside a traced program, once
 * per pipeline, and a name is all it needs; comments are taken out first, so that a function
 * commented out is not counted.
 */
const COMMENTS = /\/\/[^\n]*|\/\*[^]*?\*\//g;
/** `@compute`, any other attributes (`@workgroup_size(64, 1)`), then `fn NAME`. */
const COMPUTE_FN =
  /@\s*compute\b(?:\s*@\s*\w+\s*(?:\([^)]*\))?)*\s*fn\s+([\p{XID_Start}_]\p{XID_Continue}*)/gu;

/** The names of the module's `@compute` functions, in the order they appear. */
export function computeEntryPoints(code: string): string[] {
  const text = code.replace(COMMENTS, ' ');
  return [...text.matchAll(COMPUTE_FN)].map((m) => m[1] ?? '');
}

/** The module's one `@compute` function, or undefined when it has none or several. */
export function soleComputeEntry(code: string): string | undefined {
  const names = computeEntryPoints(code);
  return names.length === 1 ? names[0] : undefined;
}
