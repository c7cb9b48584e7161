import { once } from 'node:events';
import net from 'node:net';
import { type FaultMode, readFaultMode } from './FaultMode';
import { forwardResponse } from './forwardResponse';
import { Holds, ProxyLink } from './ProxyLink';

export type { FaultMode } from './FaultMode';

/**
 * A TCP proxy on 127.0.0.1 in front of a real memcached, whose faults a test switches at will: point
 * the client under test at `proxy.address`, then `kill()`, `blackHole()`, `slow(ms)`, ... and
 * `restore()`. Every switch applies to open connections and new ones alike. `setMode` reaches the
 * rarer faults ({@link FaultMode}).
 *
 * @example
 * const memcached = await startMemcached();
 * const proxy = await FaultProxy.start({ port: memcached.port });
 * const cache = createClient({ servers: [proxy.address] });
 * await proxy.blackHole(); // every call now meets a link that never answers
 * await proxy.restore();
 */
export class FaultProxy {
  #mode: FaultMode = { kind: 'pass' };
  readonly #links = new Set<ProxyLink>();
  readonly #holds = new Holds();
  readonly #target: { readonly host: string; readonly port: number };
  #server: net.Server;
  #port = 0;
  #closed = false;
  #accepted = 0;
  #serverClosed = 0;
  // The listener's switches, one at a time, each to what the mode is by its turn: the last call wins.
  #switching: Promise<void> = Promise.resolve();

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = this.#createServer();
  }

  /** Starts a proxy to `target` (host 127.0.0.1 by default) listening on `port` (free by default). */
  static async start(target: { host?: string; port: number }, port = 0): Promise<FaultProxy> {
    const proxy = new FaultProxy({ host: target.host ?? '127.0.0.1', port: target.port });
    await proxy.#listen(port);
    return proxy;
  }

  /** The port the proxy listens on, on 127.0.0.1 (the same one after `refuse` and `restore`). */
  get port(): number {
    return this.#port;
  }

  /** `127.0.0.1:port`: the server address to give the client under test. */
  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get mode(): FaultMode {
    return this.#mode;
  }

  /** Client connections currently open through the proxy. */
  get connections(): number {
    return this.#links.size;
  }

  /** Response chunks held by a `partition`, to be delivered when it ends. */
  get held(): number {
    return this.#holds.held;
  }

  /** Client connections accepted since the start. */
  get accepted(): number {
    return this.#accepted;
  }

  /**
   * Connections that memcached itself ended (it sent FIN first). memcached does that after input
   * it cannot parse, e.g. an over-long key: a client that validates its input never causes one.
   */
  get serverClosed(): number {
    return this.#serverClosed;
  }

  /**
   * memcached crashes: every open connection is reset (its pending requests fail with ECONNRESET
   * at once) and new connections are refused (ECONNREFUSED) until `restore()`.
   */
  async kill(): Promise<void> {
    for (const link of this.#links) link.client.resetAndDestroy();
    await this.setMode({ kind: 'refuse' });
  }

  /**
   * memcached is not running: open connections are closed (FIN, as a graceful shutdown does, which
   * leaves a naive client's pending requests hanging) and new ones refused until `restore()`.
   */
  refuse(): Promise<void> {
    return this.setMode({ kind: 'refuse' });
  }

  /**
   * The link or the server hangs: connections are accepted, requests swallowed, and nothing ever
   * comes back (not even after `restore()`: those answers are lost). Calls can only time out.
   */
  blackHole(): Promise<void> {
    return this.setMode({ kind: 'blackhole' });
  }

  /** A slow link: every response arrives `ms` milliseconds late (order kept). */
  slow(ms: number): Promise<void> {
    return this.setMode({ kind: 'latency', ms: checkCount('slow', ms) });
  }

  /** Responses arrive one byte at a time, each on its own turn of the event loop (a parser's test). */
  trickle(): Promise<void> {
    return this.setMode({ kind: 'trickle' });
  }

  /**
   * The link breaks mid-response: each connection gets `afterBytes` more bytes of response, then is
   * closed (with a large value, in the middle of it).
   */
  cut(afterBytes: number): Promise<void> {
    return this.setMode({ kind: 'cut', afterBytes: checkCount('cut', afterBytes) });
  }

  /** Back to normal: traffic passes untouched, new connections are accepted again. */
  restore(): Promise<void> {
    return this.setMode({ kind: 'pass' });
  }

  /**
   * Switches the fault: traffic meets it at once. Resolves once the listener is in the state the
   * mode needs; when calls overlap (a `restore()` not awaited, then `refuse()`), the last call's mode
   * holds. Rejects with `InvalidFaultModeError` for a mode it does not know, keeping the current one.
   */
  async setMode(mode: FaultMode): Promise<void> {
    const next = readFaultMode(mode);
    if (next.kind !== 'partition') this.#holds.heal();
    if (next.kind === 'cut') for (const link of this.#links) link.responseBytes = 0;
    this.#mode = next;
    if (next.kind === 'refuse') for (const link of this.#links) this.#drop(link);
    await this.#settleListener();
  }

  /**
   * Closes every connection and the listener, and cancels every timer, even with a switch still
   * pending: once it resolves, nothing listens and nothing holds the process. Idempotent.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#holds.close();
      for (const link of this.#links) this.#drop(link);
    }
    await this.#settleListener();
  }

  #settleListener(): Promise<void> {
    const settled = this.#switching.then(() => this.#matchListener());
    this.#switching = settled.catch(() => {});
    return settled;
  }

  /** Opens or closes the listener to match the mode as it is now. */
  async #matchListener(): Promise<void> {
    const wanted = !this.#closed && this.#mode.kind !== 'refuse';
    if (wanted && !this.#server.listening) {
      this.#server = this.#createServer();
      await this.#listen(this.#port);
    } else if (!wanted && this.#server.listening) {
      const closed = once(this.#server, 'close');
      this.#server.close();
      await closed;
    }
  }

  #createServer(): net.Server {
    return net.createServer((client) => this.#accept(client));
  }

  async #listen(port: number): Promise<void> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as net.AddressInfo).port;
  }

  #accept(client: net.Socket): void {
    // Accepted just before a pending switch closes the listener: refused as the switch says.
    if (this.#closed || this.#mode.kind === 'refuse') {
      client.destroy();
      return;
    }
    const link = new ProxyLink(client);
    this.#accepted++;
    this.#links.add(link);
    client.on('error', () => {});
    client.on('close', () => this.#drop(link));
    client.on('data', (chunk) => {
      if (this.#mode.kind === 'blackhole') return;
      this.#upstream(link).write(chunk);
    });
  }

  #upstream(link: ProxyLink): net.Socket {
    if (link.upstream) return link.upstream;
    const upstream = net.connect(this.#target.port, this.#target.host);
    link.upstream = upstream;
    upstream.once('error', () => link.client.resetAndDestroy());
    upstream.on('error', () => this.#drop(link));
    upstream.on('end', () => {
      // Only an end that the proxy did not cause by dropping the link is memcached's own doing.
      if (this.#links.has(link)) this.#serverClosed++;
    });
    upstream.on('close', () => this.#drop(link));
    upstream.on('data', (chunk) => {
      if (!forwardResponse(link, chunk, this.#mode, this.#holds)) this.#drop(link);
    });
    return upstream;
  }

  #drop(link: ProxyLink): void {
    if (!this.#links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
  }
}

function checkCount(method: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`FaultProxy.${method} expects a number >= 0, got ${String(value)}`);
  }
  return value;
}
