import { describe, expect, it } from 'vitest';
import { createClientWithPort } from '../../../src/client/createClient';
import { ADMIN_COMMANDS } from '../../../src/commands/adminCommands';
import { BATCH_COMMANDS } from '../../../src/commands/batches';
import { KEY_COMMANDS } from '../../../src/commands/keyCommands';
import { InvalidKeyError } from '../../../src/core/errors';
import { COMMANDS } from '../../support/commandTable';
import { FakeMemcached } from '../../support/FakeMemcached';

// The client's methods made from the command specs: one per spec, attached by the constructor's
// loops, each running its spec on the key's port (the fake records the spec's name), after its
// input is checked.
function setup() {
  const fake = new FakeMemcached();
  const cache = createClientWithPort({ servers: 'fake:11211', timeoutMs: 1000 }, fake.factory);
  return { fake, cache };
}

// One call per spec, with the arguments its Client signature takes.
const CALLS: Record<string, (cache: Record<string, (...args: unknown[]) => Promise<unknown>>) => Promise<unknown>> = {
  gets: (c) => c.gets!('k'),
  gat: (c) => c.gat!('k', 60),
  gats: (c) => c.gats!('k', 60),
  touch: (c) => c.touch!('k', 60),
  delete: (c) => c.delete!('k'),
  add: (c) => c.add!({ key: 'k', value: 'v' }),
  replace: (c) => c.replace!({ key: 'k', value: 'v' }),
  append: (c) => c.append!('k', 'v'),
  prepend: (c) => c.prepend!('k', 'v'),
  cas: (c) => c.cas!({ key: 'k', value: 'v', cas: 1n }),
  incr: (c) => c.incr!('k', 1, { initial: 1 }),
  decr: (c) => c.decr!('k'),
  flush: (c) => c.flush!(),
  stats: (c) => c.stats!(),
  version: (c) => c.version!(),
};

describe('the client methods made from command specs', () => {
  const specs = [...KEY_COMMANDS, ...ADMIN_COMMANDS];

  it.each(specs.map((spec) => spec.name))('%s is a method of every client, not an enumerable field', async (name) => {
    const { cache } = setup();
    expect(typeof (cache as unknown as Record<string, unknown>)[name]).toBe('function');
    expect(Object.keys(cache)).not.toContain(name);
    // Each client has its own (made with its parts), never another client's.
    const other = setup().cache;
    expect((other as unknown as Record<string, unknown>)[name]).not.toBe(
      (cache as unknown as Record<string, unknown>)[name],
    );
    await Promise.all([cache.close(), other.close()]);
  });

  it.each(specs.map((spec) => spec.name))('%s reaches the port as its spec, once', async (name) => {
    const { fake, cache } = setup();
    const call = CALLS[name];
    expect(call, `no call for ${name} in this test`).toBeDefined();
    await call!(cache as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>);
    expect(fake.calls).toEqual([name]);
    await cache.close();
  });

  it.each(KEY_COMMANDS.map((spec) => spec.name))('%s refuses a bad key before any I/O', async (name) => {
    const { fake, cache } = setup();
    const method = (cache as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
    const bad = 'a key with spaces';
    const first = ['add', 'replace', 'cas'].includes(name) ? { key: bad, value: 'v', cas: 1n } : bad;
    const args = ['add', 'replace'].includes(name)
      ? [{ key: bad, value: 'v' }]
      : [first, name === 'append' || name === 'prepend' ? 'v' : 60];
    await expect(method(...args)).rejects.toBeInstanceOf(InvalidKeyError);
    expect(fake.calls).toEqual([]);
    await cache.close();
  });

  it('every spec has its row in the shared command table the promise suites iterate', () => {
    const rows = COMMANDS.map((command) => command.name);
    const names = [...KEY_COMMANDS, ...BATCH_COMMANDS, ...ADMIN_COMMANDS].map((spec) => spec.name);
    expect(names.filter((name) => !rows.includes(name))).toEqual([]);
  });
});
