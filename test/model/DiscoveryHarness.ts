import { expect } from 'vitest';
import type { InspectionEvent } from 'xstate';
import type { DiscoveryEmitted } from '../../machines/discoveryMachine';
import type { Client } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import type { ReconnectingClient } from '../../src/client/ReconnectingClient';
import { ElastiCacheEndpoint } from '../../src/testing/ElastiCacheEndpoint';
import { FakeMemcached } from '../support/FakeMemcached';
import { CountingClock } from './CountingClock';
import {
  type DiscoveryModelEvent,
  type DiscoveryModelState,
  LISTS,
  listServed,
  versionServed,
} from './discoveryTestModel';

const OPTIONS = { timeoutMs: 1_000, connectTimeoutMs: 1_000, recoveryDelayMs: 1_000, maxRecoveryDelayMs: 4_000 };
const UNREADABLE = 'CONFIG cluster 0 4\r\nbad\n\r\nEND\r\n';

/** Resolves when `done()` holds, checked every turn of the event loop; rejects after `timeoutMs`. */
async function until(done: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function nodes(list: 0 | 1) {
  return LISTS[list].map((id) => ({ host: id.split(':')[0] as string, port: 11211 }));
}

/**
 * A client whose servers come from a real ElastiCache endpoint stub on loopback, on a simulated
 * clock (jitter 0), driven by discovery model events: the endpoint's next answer, the waits, the
 * poll's deadline and close(). Checks in every state what the machine reports and what a user sees.
 */
export class DiscoveryHarness {
  readonly #reports: string[] = [];
  #refusing = false;

  private constructor(
    readonly endpoint: ElastiCacheEndpoint,
    readonly cache: Client,
    readonly clock: CountingClock,
    readonly memcached: FakeMemcached,
  ) {
    this.#actor.on('*', (event) => this.#reports.push((event as DiscoveryEmitted).type));
  }

  /** The client's first poll meets an endpoint that hangs (the model's initial state). */
  static async start(inspect: (event: InspectionEvent) => void): Promise<DiscoveryHarness> {
    const endpoint = await ElastiCacheEndpoint.start(nodes(0));
    endpoint.hang();
    const clock = new CountingClock();
    const fake = new FakeMemcached();
    const cache = createClientWithPort(
      { ...OPTIONS, clock, inspect, discovery: { elasticache: endpoint.address, intervalMs: 10_000 } },
      fake.factory,
      { random: () => 0 },
    );
    const harness = new DiscoveryHarness(endpoint, cache, clock, fake);
    await until(() => endpoint.requests === 1, 'asked by the first poll');
    return harness;
  }

  get #actor() {
    const actor = (this.cache as ReconnectingClient).discoveryActor;
    if (!actor) throw new Error('the client has no discovery');
    return actor;
  }

  async apply(event: DiscoveryModelEvent, before: DiscoveryModelState): Promise<void> {
    this.#reports.length = 0;
    if (event.type === 'CLOSE') return this.cache.close();
    const context = this.#actor.getSnapshot().context;
    if (event.type === 'POLL.TIMEOUT') return this.clock.increment(context.pollTimeoutMs);
    const { answer } = event;
    if (answer === 'refused') {
      await this.endpoint.refuse();
      this.#refusing = true;
    } else if (this.#refusing) {
      await this.endpoint.restore();
      this.#refusing = false;
    }
    if (answer === 'hang') this.endpoint.hang();
    else if (answer === 'unreadable') this.endpoint.answerWith(UNREADABLE);
    else if (answer !== 'refused')
      this.endpoint.setNodes(nodes(listServed(before, answer)), versionServed(before, answer));
    const asked = this.endpoint.requests;
    this.clock.increment(context.nextDelayMs);
    expect(this.#actor.getSnapshot().value).toBe('polling');
    if (answer === 'hang') await until(() => this.endpoint.requests > asked, 'asked by the poll');
    else await until(() => this.#actor.getSnapshot().value !== 'polling', 'done polling');
  }

  async check(state: DiscoveryModelState): Promise<void> {
    const snapshot = this.#actor.getSnapshot();
    expect(snapshot.value).toBe(state.value);
    expect(this.#reports).toEqual(state.reports);
    if (state.value === 'stopped') {
      expect(snapshot.status).toBe('done');
      expect(this.clock.pending).toBe(0);
      expect(await this.cache.get('k')).toEqual({ ok: false, reason: 'closed' });
      return;
    }
    expect(snapshot.context.attempt).toBe(state.attempt);
    expect(snapshot.context.version).toBe(state.version);
    const expected = state.list === undefined ? [] : [...LISTS[state.list]];
    expect(this.cache.servers().map((s) => s.server)).toEqual(expected);
    if (state.list === undefined) {
      // No list yet: a call answers at once, with no connection opened.
      expect(await this.cache.get('k')).toEqual({ ok: false, reason: 'reconnecting' });
      expect(this.memcached.ports).toHaveLength(0);
    }
  }

  async dispose(): Promise<void> {
    await this.cache.close();
    await this.endpoint.stop();
  }
}
