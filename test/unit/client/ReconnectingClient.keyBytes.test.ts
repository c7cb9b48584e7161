import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createClientWithPort } from '../../../src/client/createClient';
import type { KeyBytes } from '../../../src/core/KeyBytes';
import type { Item, MemcachedPort, PortFactory } from '../../../src/port/MemcachedPort';
import type { Outcome } from '../../../src/port/Outcome';
import { FakeMemcached } from '../../support/FakeMemcached';

// The hot commands hand the port the bytes their key's validation kept, as a parameter: the port
// writes the request from them instead of reading the key's string again.
interface Handed {
  readonly command: 'get' | 'set';
  readonly key: string;
  readonly kept: KeyBytes | undefined;
  readonly holdsKey: boolean;
}

function recordingFactory(server: FakeMemcached, handed: Handed[]): PortFactory {
  return (address) => {
    const port: MemcachedPort = server.factory(address);
    const record = (command: Handed['command'], key: string, kept: KeyBytes | undefined) =>
      handed.push({ command, key, kept, holdsKey: kept?.holds(key) === true });
    port.getInto = (key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes) => {
      record('get', key, kept);
      port.get(key).then(
        (item) => outcome.succeeded(item),
        (err) => outcome.failed(err),
      );
    };
    port.setInto = (item, outcome, kept) => {
      record('set', item.key, kept);
      port.set(item.key, item.value, item.flags, item.expiration).then(
        () => outcome.succeeded(undefined),
        (err) => outcome.failed(err),
      );
    };
    return port;
  };
}

describe('the key bytes a hot command hands its port', () => {
  it('hold the key it validated, for get and set; one record per client, reused', async () => {
    const handed: Handed[] = [];
    const client = createClientWithPort(
      { servers: '127.0.0.1:11211', clock: new SimulatedClock() },
      recordingFactory(new FakeMemcached(), handed),
    );
    expect(await client.set({ key: 'user:1', value: 'v' })).toBe(true);
    expect(await client.get('user:1')).toMatchObject({ ok: true, item: { key: 'user:1' } });
    expect(await client.get('user:2')).toEqual({ ok: true, item: undefined });
    expect(handed.map(({ command, key, holdsKey }) => [command, key, holdsKey])).toEqual([
      ['set', 'user:1', true],
      ['get', 'user:1', true],
      ['get', 'user:2', true],
    ]);
    expect(new Set(handed.map((h) => h.kept)).size).toBe(1);
    await client.close();
  });

  it('are not shared between clients', async () => {
    const handed: Handed[] = [];
    const options = { servers: '127.0.0.1:11211', clock: new SimulatedClock() };
    const a = createClientWithPort(options, recordingFactory(new FakeMemcached(), handed));
    const b = createClientWithPort(options, recordingFactory(new FakeMemcached(), handed));
    await a.get('a:1');
    await b.get('b:1');
    expect(handed[0]!.kept).not.toBe(handed[1]!.kept);
    // b's validation did not touch a's record.
    expect(handed[0]!.kept?.holds('a:1')).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('hold no other key: a non-ASCII key is written from its string', async () => {
    const handed: Handed[] = [];
    const client = createClientWithPort(
      { servers: '127.0.0.1:11211', clock: new SimulatedClock() },
      recordingFactory(new FakeMemcached(), handed),
    );
    await client.get('ascii:1');
    await client.get('clé:1');
    expect(handed.map(({ key, holdsKey }) => [key, holdsKey])).toEqual([
      ['ascii:1', true],
      ['clé:1', false],
    ]);
    await client.close();
  });
});
