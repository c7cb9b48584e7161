import { afterAll, beforeAll, expect } from 'vitest';
import type { Client, StateChange } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { textStats } from './memcachedText';
import { guardProcess } from './processGuard';

/**
 * What the fuzz tests run against: a real memcached behind a counting proxy, and a client to it,
 * started before a file's tests and stopped after them. For every input: the call answers or
 * rejects with the documented typed error (never throws synchronously, never crashes), rejected
 * input never reaches the socket, memcached never hangs up on this client, and nothing counts
 * toward healing (allowedFailuresBeforeHealing is 1, so a single counted failure would show as a
 * state change): `expectUntouched` checks the last three.
 */
export class FuzzTarget {
  server!: MemcachedProcess;
  #proxy!: FaultProxy;
  cache!: Client;
  readonly #changes: StateChange[] = [];
  readonly #guard = guardProcess();
  connectionsBefore!: number;
  // Requests that passed validation and so reached memcached, to compare with its own counters.
  sets = 0;
  #before!: Record<string, number>;

  /** A target for the tests of this file: started in beforeAll, stopped in afterAll. */
  static forThisFile(): FuzzTarget {
    const target = new FuzzTarget();
    beforeAll(() => target.#start());
    afterAll(() => target.#stop());
    return target;
  }

  async #start(): Promise<void> {
    this.server = await startMemcached();
    this.#proxy = await FaultProxy.start({ port: this.server.port });
    // A generous deadline: the 4 MB values must not time out on a loaded machine.
    this.cache = createClient({ servers: this.#proxy.address, timeoutMs: 5000, allowedFailuresBeforeHealing: 1 });
    this.cache.subscribe((change) => this.#changes.push(change));
    expect(await this.cache.set({ key: 'warm', value: 'up' })).toBe(true);
    this.sets++;
    this.#before = await textStats(this.server.port);
    this.connectionsBefore = this.#before.total_connections!;
  }

  async #stop(): Promise<void> {
    await this.cache.close();
    this.#guard.dispose();
    await this.#proxy.close();
    await this.server.stop();
  }

  /** The client's own connection is the only one it ever opened, and it is still up and uncounted. */
  async expectUntouched(): Promise<void> {
    expect(this.#changes, 'state changes (a counted failure)').toEqual([]);
    expect(this.cache.state).toBe('connected');
    expect(this.cache.connectionActor().getSnapshot().context.failures).toBe(0);
    expect(this.#proxy.serverClosed, 'connections memcached closed').toBe(0);
    expect(this.#proxy.accepted, 'connections the client opened').toBe(1);
    expect(this.#proxy.connections).toBe(1);
    const stats = await textStats(this.server.port);
    // +1: the connection of this very stats request.
    expect(stats.total_connections).toBe(this.connectionsBefore + 1);
    this.connectionsBefore = stats.total_connections!;
    expect(stats.cmd_set! - this.#before.cmd_set!, 'sets that reached memcached').toBe(this.sets - 1);
    expect(this.#guard.errors).toEqual([]);
  }
}
