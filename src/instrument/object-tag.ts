/**
 * A value kept on a WebGPU object under a symbol of wgprof's: a property rather than a WeakMap,
 * because a WeakMap entry per encoder and per buffer cost microseconds an op (its ephemerons
 * slow every garbage collection), measured on lavapipe with the patches on and no op recorded.
 * Each tag has its own symbol, so two tags of the same name never meet.
 */
export class Tag<K extends object, V> {
  private readonly key: symbol;
  constructor(name: string) {
    this.key = Symbol(`wgprof.${name}`);
  }
  get(object: K): V | undefined {
    return (object as unknown as Record<symbol, V | undefined>)[this.key];
  }
  set(object: K, value: V): void {
    (object as unknown as Record<symbol, V>)[this.key] = value;
  }
}
