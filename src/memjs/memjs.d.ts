// memjs ships no types, and @types/memjs does not describe the Server internals memjsPort.ts uses;
// memjsPort.ts declares the narrow shape it relies on.
declare module 'memjs' {
  const memjs: unknown;
  export default memjs;
}
