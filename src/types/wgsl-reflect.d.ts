// wgsl_reflect's package has no "exports" map, and its "main" is a CommonJS bundle in a
// "type": "module" package, which Node cannot import by name; its ES module bundle has the same
// API but no declaration file beside it.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
