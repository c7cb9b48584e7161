import { once } from 'node:events';
import net from 'node:net';

/**
 * What the proxy does to traffic, applied to open connections and new ones alike:
 * - `pass`: forwards both ways untouched;
 * - `refuse`: closes every connection and stops listening, so new connects get ECONNREFUSED;
 * - `blackhole`: accepts connections and drops everything, answering nothing (a hung server or link);
 * - `reset`: resets (RST) a connection as soon as a response starts to come back;
 * - `delay`: holds every response chunk for `ms` before forwarding it (order kept);
 * - `trickle`: forwards responses one byte at a time;
 * - `cut`: forwards `afterBytes` bytes of response on each connection, then closes it (a link cut in
 *   the middle of a large value);
 * - `latency`: forwards every response chunk `ms` after it arrived (order kept): a slow link, where
 *   `delay` (one chunk at a time, each held `ms`) is a congested one;
 * - `partition`: holds every response until the mode changes, then delivers them in order: a link
 *   that drops packets for a while, after which TCP retransmits them. `blackhole` loses them for good.
 * When memcached cannot be reached or fails a connection, the client's connection is reset, as it
 * would be without the proxy (a graceful close would leave memjs's pending calls hanging).
 */
export type FaultMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'blackhole' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'trickle' }
  | { readonly kind: 'cut'; readonly afterBytes: number }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'partition' };

interface Link {
  readonly client: net.Socket;
  upstream: net.Socket | undefined;
  responseBytes: number;
  // Response chunks are forwarded through this chain so delays and trickling keep their order.
  tail: Promise<void>;
  // Chunks still waiting in `tail`: while any are, even a `pass` chunk must queue behind them, or a
  // switch from `delay`/`trickle` back to `pass` would reorder the byte stream.
  queued: number;
}

/** A TCP proxy on 127.0.0.1 in front of a real memcached, whose faults the test or demo switches at will. */
export class FaultProxy {
  #mode: FaultMode = { kind: 'pass' };
  readonly #links = new Set<Link>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #target: { readonly host: string; readonly port: number };
  #server: net.Server;
  #port = 0;
  #closed = false;
  #partition: Promise<void> | undefined;
  #endPartition: (() => void) | undefined;
  #held = 0;
  #accepted = 0;
  #serverClosed = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = this.#createServer();
  }

  /** Starts a proxy to `target` on `port` (free by default). */
  static async start(target: { host?: string; port: number }, port = 0): Promise<FaultProxy> {
    const proxy = new FaultProxy({ host: target.host ?? '127.0.0.1', port: target.port });
    await proxy.#listen(port);
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

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
    return this.#held;
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

  /** Switches the fault. Resolves once the listener is in the state the mode needs. */
  async setMode(mode: FaultMode): Promise<void> {
    const wasRefusing = this.#mode.kind === 'refuse';
    if (mode.kind !== 'partition') this.#healPartition();
    this.#mode = mode;
    if (mode.kind === 'refuse') {
      for (const link of this.#links) this.#drop(link);
      if (this.#server.listening) {
        const closed = once(this.#server, 'close');
        this.#server.close();
        await closed;
      }
    } else if (wasRefusing && !this.#closed) {
      this.#server = this.#createServer();
      await this.#listen(this.#port);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#healPartition();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const link of this.#links) this.#drop(link);
    if (this.#server.listening) {
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
    const link: Link = { client, upstream: undefined, responseBytes: 0, tail: Promise.resolve(), queued: 0 };
    this.#accepted++;
    this.#links.add(link);
    client.on('error', () => {});
    client.on('close', () => this.#drop(link));
    client.on('data', (chunk) => {
      if (this.#mode.kind === 'blackhole') return;
      this.#upstream(link).write(chunk);
    });
  }

  #upstream(link: Link): net.Socket {
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
    upstream.on('data', (chunk) => this.#respond(link, chunk));
    return upstream;
  }

  #respond(link: Link, chunk: Buffer): void {
    const mode = this.#mode;
    const client = link.client;
    switch (mode.kind) {
      case 'pass':
        if (link.queued > 0) this.#enqueue(link, async () => void client.write(chunk));
        else client.write(chunk);
        return;
      case 'blackhole':
      case 'refuse':
        return;
      case 'reset':
        client.resetAndDestroy();
        this.#drop(link);
        return;
      case 'cut': {
        const room = mode.afterBytes - link.responseBytes;
        if (room > 0) client.write(chunk.subarray(0, room));
        link.responseBytes += chunk.length;
        if (link.responseBytes >= mode.afterBytes) {
          client.destroy();
          this.#drop(link);
        }
        return;
      }
      case 'delay':
        this.#enqueue(link, async () => {
          await this.#wait(mode.ms);
          client.write(chunk);
        });
        return;
      case 'trickle':
        this.#enqueue(link, async () => {
          for (let i = 0; i < chunk.length && !client.destroyed; i++) {
            client.write(chunk.subarray(i, i + 1));
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
        return;
      case 'partition': {
        const healed = this.#partitionHealed();
        this.#held++;
        this.#enqueue(link, async () => {
          await healed;
          this.#held--;
          client.write(chunk);
        });
        return;
      }
      case 'latency': {
        const due = performance.now() + mode.ms;
        this.#enqueue(link, async () => {
          await this.#wait(due - performance.now());
          client.write(chunk);
        });
        return;
      }
    }
  }

  // Resolved when the partition ends: the held responses then go out, before any newer one can.
  #partitionHealed(): Promise<void> {
    this.#partition ??= new Promise((resolve) => {
      this.#endPartition = resolve;
    });
    return this.#partition;
  }

  #healPartition(): void {
    this.#endPartition?.();
    this.#partition = undefined;
    this.#endPartition = undefined;
  }

  #enqueue(link: Link, forward: () => Promise<void>): void {
    link.queued++;
    link.tail = link.tail
      .then(forward)
      // A failed forward (the socket went away) must not stop the chunks queued behind it.
      .catch(() => {})
      .finally(() => {
        link.queued--;
      });
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  #drop(link: Link): void {
    if (!this.#links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
  }
}
