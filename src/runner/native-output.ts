/**
 * Lines that Dawn and Mesa print natively on every start and that carry nothing for the user:
 * the dynamic-buffer limits Dawn trims, lavapipe's conformance notice, the XDG warning; and the
 * line dawn.node prints at exit for the wait on a device abandoned as stuck, which the run's own
 * output already names. All of them stay in result.json's nativeMessages.
 */
const HARMLESS: readonly RegExp[] = [
  /^Warning: maxDynamic\w+ artificially reduced/,
  /XDG_RUNTIME_DIR/,
  /^WARNING: lavapipe is not a conformant vulkan implementation/,
  /^MESA-LOADER: failed to open/,
  /Promise not resolved or rejected: onSubmittedWorkDone\(\)/,
];

export function isHarmlessNativeLine(line: string): boolean {
  return line.trim() === '' || HARMLESS.some((re) => re.test(line));
}
