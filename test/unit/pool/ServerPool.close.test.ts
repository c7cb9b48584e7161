import { describe, expect, it } from 'vitest';
import { ClientClosedError } from '../../../src/core/errors';
import { IDS, keysOn, clusterClient as setup } from '../../support/clusterClient';

describe('a cluster over fake servers: the actors and close', () => {
  it('the pool actor holds one connection actor per server', () => {
    const t = setup();
    expect(Object.keys(t.cache.actor.getSnapshot().children)).toEqual(IDS);
    expect(t.cache.connectionActor('b')).toBe(t.cache.actor.getSnapshot().children['b:11211']);
    expect(() => t.cache.connectionActor()).toThrow(TypeError);
  });

  it('close() closes every server, reports each, and settles calls in flight as closed', async () => {
    const t = setup();
    for (const id of IDS) t.cluster.server(id).mode = 'manual';
    const inFlight = IDS.map((id) => t.cache.get(keysOn(id, 1)[0]!));
    await t.cache.close();
    expect(await Promise.all(inFlight)).toEqual(IDS.map(() => ({ ok: false, reason: 'closed' })));
    expect(IDS.every((id) => t.cluster.server(id).openPorts === 0)).toBe(true);
    expect(t.changes.map((c) => `${c.server} ${c.state}`)).toEqual(IDS.map((id) => `${id} closed`));
    expect(t.cache.state).toBe('closed');
    expect(t.cache.connectionAvailable()).toBe(false);
    await expect(t.cache.ping()).rejects.toBeInstanceOf(ClientClosedError);
    t.clock.increment(1_000_000);
    expect(IDS.every((id) => t.cluster.server(id).ports.length === 1)).toBe(true);
  });
});
