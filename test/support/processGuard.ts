/**
 * Records every unhandled rejection and uncaught exception while installed, so a test can assert
 * there were none (a cache client must never crash its host process). Vitest would report them
 * too, but only at the end of the run and without failing the test that caused them.
 */
export function guardProcess(): { readonly errors: unknown[]; dispose(): void } {
  const errors: unknown[] = [];
  const onRejection = (reason: unknown) => errors.push(reason);
  const onException = (err: unknown) => errors.push(err);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    errors,
    dispose() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}
