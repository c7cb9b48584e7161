// memjs ships no types, and @types/memjs does not describe the Server internals the adapter uses;
// memjsServer.ts declares the narrow shape it relies on.
declare module 'memjs' {
  const memjs: unknown;
  export default memjs;
}
