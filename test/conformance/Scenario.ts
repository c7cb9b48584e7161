import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { CommonClientOptions } from '../../src/config/ClientOptions';
import type { Protocol } from '../../src/config/protocol';
import type { StartMemcachedOptions } from '../../src/testing/memcached';
import { type FaultyMemcached, faultyMemcached } from '../support/faultyMemcached';
import { type HostileGet, type HostileServer, startHostile } from '../support/hostileServer';
import { clientTls, memcachedOver, type Transport } from '../support/transports';

/** One run of a scenario: an adapter, a transport, and what the scenario started (closed after it). */
export class Run {
  readonly #cleanup: Array<() => unknown> = [];

  constructor(
    readonly protocol: Protocol,
    readonly transport: Transport,
  ) {}

  /** A client of `servers` speaking this run's protocol over its transport. */
  client(servers: string, options: Partial<CommonClientOptions> = {}): Client {
    const cache = createClient({ servers, protocol: this.protocol, tls: clientTls(this.transport), ...options });
    this.#cleanup.push(() => cache.close());
    return cache;
  }

  /** A real memcached over this run's transport, straight (no proxy). */
  async memcached(options: StartMemcachedOptions = {}) {
    const memcached = await memcachedOver(this.transport, options);
    if (this.transport === 'unix' && options.unixSocket === undefined) {
      this.#cleanup.push(() => rmSync(dirname(memcached.address), { recursive: true, force: true }));
    }
    this.#cleanup.push(() => memcached.stop());
    return memcached;
  }

  /** A real memcached behind a fault proxy, over this run's transport. */
  async faulty(options: StartMemcachedOptions = {}): Promise<FaultyMemcached> {
    const faulty = await faultyMemcached(this.transport, options);
    this.#cleanup.push(() => faulty.stop());
    return faulty;
  }

  /** A fake server of this run's protocol and transport that answers each get as `script` says. */
  async hostile(script: (get: HostileGet) => void): Promise<HostileServer> {
    const fake = await startHostile(this.protocol, script, this.transport);
    this.#cleanup.push(() => fake.close());
    return fake;
  }

  /** Runs `step` when the run ends (last registered, first run). */
  finally(step: () => unknown): void {
    this.#cleanup.push(step);
  }

  async close(): Promise<void> {
    for (const step of this.#cleanup.splice(0).reverse()) await step();
  }
}

/** A fault scenario of the shared suite: it runs once per adapter and transport. */
export interface Scenario {
  readonly name: string;
  /** Measures time (a bound on detection, the event loop's delay): runs alone, not beside others. */
  readonly alone?: boolean;
  /** The transports it runs over, when not all: `why` says what keeps it from the others. */
  readonly only?: { readonly transports: readonly Transport[]; readonly why: string };
  run(run: Run): Promise<void>;
}
