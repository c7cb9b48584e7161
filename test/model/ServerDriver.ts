import { expect } from 'vitest';
import { waitFor } from 'xstate';
import type { Client, ConnectionActor, ConnectionState, GetResult } from '../../src/api/Client';
import { ClientClosedError, ConnectionDownError, ServerError } from '../../src/core/errors';
import type { FakeMemcached, FakeMode, FakePort } from '../support/FakeMemcached';
import { refusedError } from '../support/FakeMemcached';
import type { CountingClock } from './CountingClock';
import type { ConnectionSnapshot, ModelEvent } from './connectionTestModel';
import { PROBE_DONE, PROBE_ERROR, PROBE_TIMEOUT, RECONNECT_DELAY, statePath, summarize } from './connectionTestModel';

/** The reconnect waits the client was configured with: d = min(recoveryDelayMs * 2^attempt, max). */
export interface Backoff {
  readonly recoveryDelayMs: number;
  readonly maxRecoveryDelayMs: number;
}

/**
 * One server of a client, driven as a user (or memcached, or time) would: calls for a key it owns,
 * its fake's answers, its reconnect delay and probe. Shared by the connection suite (one server)
 * and the pool suite (one driver per member).
 */
export class ServerDriver {
  #probePort: FakePort | undefined;

  constructor(
    readonly client: Client,
    /** `host:port`: the connection actor's id. */
    readonly id: string,
    readonly fake: FakeMemcached,
    readonly clock: CountingClock,
    /** A key this server owns under the current membership. */
    readonly key: () => string,
  ) {}

  actor(): ConnectionActor {
    return this.client.connectionActor(this.id);
  }

  /** `connected`, `degraded`, `reconnecting.waiting`, `reconnecting.probing` or `closed`. */
  where(): string {
    return statePath(this.actor().getSnapshot());
  }

  /** Causes `event`, of this server's current connection (a stale result is the caller's to cause). */
  async cause(event: ModelEvent, backoff: Backoff, jitter: number): Promise<void> {
    switch (event.type) {
      case 'CALL.FAILED':
        return this.call('refusing', { ok: false, reason: 'connection' });
      case 'CALL.SUCCEEDED':
        return this.call('up', { ok: true, item: undefined });
      case RECONNECT_DELAY:
        return this.passReconnectDelay(backoff, jitter);
      case PROBE_DONE:
      case PROBE_ERROR:
        return this.settleProbe(event.type === PROBE_DONE);
      case PROBE_TIMEOUT:
        return this.passProbeTimeout();
      default:
        throw new Error(`no user-level action realizes model event ${event.type} on ${this.id}`);
    }
  }

  /** Waits until the client's actor is where the model is: a probe's answer takes a few promise hops. */
  async reaches(expected: ConnectionSnapshot, after: string): Promise<void> {
    await waitFor(this.actor(), (snapshot) => summarize(snapshot) === summarize(expected), { timeout: 2_000 }).catch(
      () => {
        throw new Error(
          `after ${after} the client's machine of ${this.id} is in ${summarize(this.actor().getSnapshot())}, ` +
            `the model in ${summarize(expected)}`,
        );
      },
    );
  }

  /** One `get` in `mode`: it must reach this server and answer `expected`. */
  async call(mode: FakeMode, expected: GetResult): Promise<void> {
    this.fake.mode = mode;
    const reached = this.fake.calls.length;
    const result = await this.client.get(this.key());
    if (expected.ok) expect(result).toEqual(expected);
    else expect(result).toMatchObject(expected);
    expect(this.fake.calls.length, `the call reached ${this.id}`).toBe(reached + 1);
  }

  /** A `get` this server's fake holds (`manual` mode) until the test settles it. */
  holdCall(key = this.key()): Promise<GetResult> {
    this.fake.mode = 'manual';
    const held = this.fake.pending.length;
    const promise = this.client.get(key);
    expect(this.fake.pending.length, `a get held by ${this.id}`).toBe(held + 1);
    return promise;
  }

  /**
   * Moves the clock to this server's probe: 1 ms before it nothing happens, at it one new
   * connection opens with a `ping` in flight, held for `settleProbe`. `jitter` is what the client's
   * random source gave for this wait.
   */
  passReconnectDelay(backoff: Backoff, jitter: number): void {
    const { nextDelayMs, attempt } = this.actor().getSnapshot().context;
    // Written out, not imported from machines/reconnectDelay.ts.
    const d = Math.min(backoff.recoveryDelayMs * 2 ** attempt, backoff.maxRecoveryDelayMs);
    expect(nextDelayMs).toBe(Math.max(d, Math.floor(d + d * jitter)));
    const dueAt = this.client.servers().find((server) => server.server === this.id)?.nextProbeAt;
    if (dueAt === undefined) throw new Error(`${this.id} has no probe due: servers() says no wait`);
    this.fake.mode = 'manual';
    const ports = this.fake.ports.length;
    this.clock.increment(dueAt - this.clock.now() - 1);
    expect(this.where(), `${this.id} 1 ms before its reconnect delay`).toBe('reconnecting.waiting');
    expect(this.fake.ports.length, 'no probe before the delay').toBe(ports);
    this.clock.increment(1);
    expect(this.where()).toBe('reconnecting.probing');
    expect(this.fake.ports.length, 'the probe opened one new connection').toBe(ports + 1);
    this.#probePort = this.fake.ports.at(-1);
    expect(this.fake.pending.some((call) => call.op === 'ping' && call.port === this.#probePort)).toBe(true);
  }

  /** Answers the probe's `ping` (the probe succeeds) or refuses it (the probe fails). */
  settleProbe(succeeds: boolean): void {
    const outcome = succeeds ? { value: undefined } : { error: refusedError() };
    this.fake.settleNext(outcome, { op: 'ping', port: this.#probePort });
  }

  /** Moves the clock past the probe's deadline: it is given up and its connection closed. */
  passProbeTimeout(): void {
    const { probeTimeoutMs } = this.actor().getSnapshot().context;
    this.clock.increment(probeTimeoutMs - 1);
    expect(this.where(), '1 ms before probeTimeout').toBe('reconnecting.probing');
    this.clock.increment(1);
    expect(this.where()).toBe('reconnecting.waiting');
    expect(this.#probePort?.closed, 'the hung probe connection is closed').toBe(true);
  }

  /**
   * One more call, chosen so that it cannot move the state: a server error while usable (it must
   * reach memcached and not count), any call while reconnecting or closed (it must not reach it).
   * `ping` only with one server: with several it also asks the others.
   */
  async checkACall(state: ConnectionState, ping: boolean): Promise<void> {
    const reached = this.fake.calls.length;
    const key = this.key();
    if (state === 'connected' || state === 'degraded') {
      const before = { where: this.where(), context: this.actor().getSnapshot().context };
      this.fake.mode = 'serverError';
      const result = await this.client.get(key);
      expect(result).toMatchObject({ ok: false, reason: 'server' });
      expect((result as { error?: unknown }).error).toBeInstanceOf(ServerError);
      expect(this.fake.calls.length, `the call reached ${this.id}`).toBe(reached + 1);
      const after = { where: this.where(), context: this.actor().getSnapshot().context };
      expect(after, 'a server error counts for nothing').toEqual(before);
      return;
    }
    const reason = state === 'closed' ? 'closed' : 'reconnecting';
    expect(await this.client.get(key)).toEqual({ ok: false, reason });
    expect(await this.client.set({ key, value: 'v' })).toBe(false);
    if (ping) {
      await expect(this.client.ping()).rejects.toBeInstanceOf(
        state === 'closed' ? ClientClosedError : ConnectionDownError,
      );
    }
    expect(this.fake.calls.length, 'calls fail fast, without I/O').toBe(reached);
  }
}
