import { afterEach } from 'vitest';

/**
 * Registers an `afterEach` that undoes, newest first, whatever the test handed to the returned
 * function (stop a process, close a client), even when the test failed halfway.
 */
export function afterEachCleanup(): (undo: () => Promise<unknown> | unknown) => void {
  const pending: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    while (pending.length > 0) await pending.pop()?.();
  });
  return (undo) => {
    pending.push(undo);
  };
}
