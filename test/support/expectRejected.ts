import { expect } from 'vitest';
import { InvalidInputError } from '../../src/core/errors';

/** Calls `call` and returns its promise; a synchronous throw fails the property. */
export function promiseOf<T>(call: () => Promise<T>): Promise<T> {
  let pending: Promise<T>;
  expect(() => {
    pending = call();
  }).not.toThrow();
  return pending!;
}

/** Calls `call`, which must reject with the typed input error `code` (and not throw). */
export async function expectRejected(call: () => Promise<unknown>, code: string): Promise<void> {
  const error = await promiseOf(call).then(
    (value) => {
      throw new Error(`expected a rejection with ${code}, got ${String(value)}`);
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error).toMatchObject({ code });
}
