import { describe, expect, it, vi } from 'vitest';
import * as here from '../../../src/core/errors';

// A second copy of the package, as when a dependency bundles its own: the same source loaded as a
// separate module instance, so its classes are other objects than ours.
async function anotherCopy(): Promise<typeof here> {
  vi.resetModules();
  const copy = (await import('../../../src/core/errors')) as typeof here;
  expect(copy.TimeoutError).not.toBe(here.TimeoutError);
  return copy;
}

describe('errors from another copy of the package', () => {
  it('are instances of the same-named classes here, and of their parents', async () => {
    const copy = await anotherCopy();
    const timeout = new copy.TimeoutError(100);
    expect(timeout).toBeInstanceOf(here.TimeoutError);
    expect(timeout).toBeInstanceOf(here.ReconnectingMemcachedError);
    expect(timeout).toBeInstanceOf(Error);
    expect(new copy.InvalidKeyError('bad')).toBeInstanceOf(here.InvalidInputError);
    expect(new copy.InvalidOptionError('timeoutMs', -1, 'a number > 0')).toBeInstanceOf(here.InvalidOptionError);
  });

  it('are not instances of other classes', async () => {
    const copy = await anotherCopy();
    expect(new copy.TimeoutError(100)).not.toBeInstanceOf(here.ConnectionError);
    expect(new copy.ServerError(new Error('x'))).not.toBeInstanceOf(here.InvalidInputError);
    expect(new copy.InvalidOptionError('a', 1, 'b')).not.toBeInstanceOf(here.ReconnectingMemcachedError);
  });

  it('are recognised by isReconnectingMemcachedError, by code too; foreign errors are not', async () => {
    const copy = await anotherCopy();
    const timeout = new copy.TimeoutError(100);
    expect(here.isReconnectingMemcachedError(timeout)).toBe(true);
    expect(here.isReconnectingMemcachedError(timeout, 'ERR_TIMEOUT')).toBe(true);
    expect(here.isReconnectingMemcachedError(timeout, 'ERR_CONNECTION')).toBe(false);
    expect(here.isReconnectingMemcachedError(new copy.InvalidOptionError('a', 1, 'b'), 'ERR_INVALID_OPTION')).toBe(
      true,
    );
    // Same name and code, but not made by this library: not recognised.
    const lookalike = Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ERR_TIMEOUT' });
    expect(here.isReconnectingMemcachedError(lookalike)).toBe(false);
    expect(lookalike).not.toBeInstanceOf(here.TimeoutError);
    expect(here.isReconnectingMemcachedError(null)).toBe(false);
    expect(here.isReconnectingMemcachedError('ERR_TIMEOUT')).toBe(false);
  });
});
