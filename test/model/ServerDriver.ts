import { expect } from 'vitest';
import { waitFor } from 'xstate';
import type { Client, ConnectionActor, ConnectionState, GetResult } from '../../src/api/Client';
import { ClientClosedError, ConnectionDownError, ServerError } from '../../src/core/errors';
import type { CountingClock } from './CountingClock';
import type { ConnectionSnapshot, ModelEvent } from './connectionTestModel';
import { PROBE_DONE, PROBE_ERROR, PROBE_TIMEOUT, RECONNECT_DELAY, statePath, summarize } from './connectionTestModel';
import type { ModelServer, ServerMode } from './ModelServer';

/** The reconnect waits the client was configured with: d = min(recoveryDelayMs * 2^attempt, max). */
export interface Backoff {
  readonly recoveryDelayMs: number;
  readonly maxRecoveryDelayMs: number;
}

/**
 * One server of a client, driven as a user (or memcached, or time) would: calls for a key it owns,
 * its server's answers, its reconnect delay and probe. Shared by the connection suite (one server)
 * and the pool suite (one driver per member), over any ModelServer.
 */
export class ServerDriver {
  constructor(
    readonly client: Client,
    /** `host:port`: the connection actor's id. */
    readonly id: string,
    readonly server: ModelServer,
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
  async call(mode: ServerMode, expected: GetResult): Promise<void> {
    this.server.mode = mode;
    const reached = this.server.calls;
    const result = await this.client.get(this.key());
    if (expected.ok) expect(result).toEqual(expected);
    else expect(result).toMatchObject(expected);
    expect(this.server.calls, `the call reached ${this.id}`).toBe(reached + 1);
  }

  /** A `get` this server holds (`manual` mode) until the test settles it: resolves once it is held. */
  async holdCall(key = this.key()): Promise<{ readonly result: Promise<GetResult> }> {
    this.server.mode = 'manual';
    const reached = this.server.reached('get');
    const result = this.client.get(key);
    await this.server.until(() => this.server.reached('get') === reached + 1, `a get held by ${this.id}`);
    return { result };
  }

  /**
   * Moves the clock to this server's probe: 1 ms before it nothing happens, at it one new
   * connection opens with a `ping` in flight, held for `settleProbe`. `jitter` is what the client's
   * random source gave for this wait.
   */
  async passReconnectDelay(backoff: Backoff, jitter: number): Promise<void> {
    const { nextDelayMs, attempt } = this.actor().getSnapshot().context;
    // Written out, not imported from machines/reconnectDelay.ts.
    const d = Math.min(backoff.recoveryDelayMs * 2 ** attempt, backoff.maxRecoveryDelayMs);
    expect(nextDelayMs).toBe(Math.max(d, Math.floor(d + d * jitter)));
    const dueAt = this.client.servers().find((server) => server.server === this.id)?.nextProbeAt;
    if (dueAt === undefined) throw new Error(`${this.id} has no probe due: servers() says no wait`);
    const server = this.server;
    server.mode = 'manual';
    const ports = server.portsMade;
    const pings = server.reached('ping');
    this.clock.increment(dueAt - this.clock.now() - 1);
    expect(this.where(), `${this.id} 1 ms before its reconnect delay`).toBe('reconnecting.waiting');
    expect(server.portsMade, 'no probe before the delay').toBe(ports);
    this.clock.increment(1);
    expect(this.where()).toBe('reconnecting.probing');
    expect(server.portsMade, 'the probe opened one new connection').toBe(ports + 1);
    await server.until(() => server.reached('ping') === pings + 1, `the probe's ping held by ${this.id}`);
  }

  /** Answers the probe's `ping` (the probe succeeds) or refuses it (the probe fails). */
  settleProbe(succeeds: boolean): void {
    if (succeeds) this.server.answer('ping');
    else this.server.refuse('ping');
  }

  /** Moves the clock past the probe's deadline: it is given up and its connection closed. */
  passProbeTimeout(): void {
    const { probeTimeoutMs } = this.actor().getSnapshot().context;
    this.clock.increment(probeTimeoutMs - 1);
    expect(this.where(), '1 ms before probeTimeout').toBe('reconnecting.probing');
    this.clock.increment(1);
    expect(this.where()).toBe('reconnecting.waiting');
    // While probing, the probe's is the only connection (FacadeHarness.check counts them).
    expect(this.server.openPorts, 'the hung probe connection is closed').toBe(0);
  }

  /**
   * One more call, chosen so that it cannot move the state: a server error while usable (it must
   * reach memcached and not count), any call while reconnecting or closed (it must not reach it).
   * `ping` only with one server: with several it also asks the others.
   */
  async checkACall(state: ConnectionState, ping: boolean): Promise<void> {
    const reached = this.server.calls;
    const key = this.key();
    if (state === 'connected' || state === 'degraded') {
      const before = { where: this.where(), context: this.actor().getSnapshot().context };
      this.server.mode = 'serverError';
      const result = await this.client.get(key);
      expect(result).toMatchObject({ ok: false, reason: 'server' });
      expect((result as { error?: unknown }).error).toBeInstanceOf(ServerError);
      expect(this.server.calls, `the call reached ${this.id}`).toBe(reached + 1);
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
    expect(this.server.calls, 'calls fail fast, without I/O').toBe(reached);
  }
}
