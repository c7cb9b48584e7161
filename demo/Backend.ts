import { parseServers } from '../src/config/parseServers';
import { FaultProxy } from '../src/testing/FaultProxy';
import { type MemcachedProcess, startMemcached } from '../src/testing/memcached';

/** What is wrong with the link right now. */
export type Fault = 'none' | 'killed' | 'blackhole' | 'slow';

const FAULT_LABEL: Record<Fault, string> = {
  none: 'healthy',
  killed: 'memcached killed',
  blackhole: 'black-holed (memcached up, no answer gets through)',
  slow: 'slow link',
};

/** How slow the slow link is: above the demo client's 100 ms deadline, far below memjs's 500 ms. */
export const SLOW_LINK_MS = 150;

/**
 * The memcached the demo talks to, always through a FaultProxy so every fault hits the demo client
 * and plain memjs alike: its own memcached on a free loopback port, or an existing one (`--servers`).
 */
export class Backend {
  #fault: Fault = 'none';
  #memcached: MemcachedProcess | undefined;
  readonly #proxy: FaultProxy;
  readonly #upstream: { readonly host: string; readonly port: number };
  readonly #credentials: string;
  readonly #owned: boolean;

  private constructor(
    proxy: FaultProxy,
    upstream: { host: string; port: number },
    credentials: string,
    memcached?: MemcachedProcess,
  ) {
    this.#proxy = proxy;
    this.#upstream = upstream;
    this.#credentials = credentials;
    this.#memcached = memcached;
    this.#owned = memcached !== undefined;
  }

  /** Starts memcached (unless `server` names an existing one, `[user:pass@]host:port`) and the proxy. */
  static async start(server?: string): Promise<Backend> {
    if (server === undefined) {
      const memcached = await startMemcached();
      killOnExit(memcached);
      const proxy = await FaultProxy.start({ port: memcached.port });
      return new Backend(proxy, { host: '127.0.0.1', port: memcached.port }, '', memcached);
    }
    const [address] = parseServers(server);
    if (!address) throw new Error('no server given');
    const proxy = await FaultProxy.start({ host: address.host, port: address.port });
    const credentials = address.username === undefined ? '' : `${address.username}:${address.password ?? ''}@`;
    return new Backend(proxy, address, credentials);
  }

  /** The `servers` entry both clients use: the proxy, with the credentials of the real server. */
  get servers(): string {
    return `${this.#credentials}${this.#proxy.address}`;
  }

  /** Passwords to keep out of anything the demo prints or serves. */
  get secrets(): string[] {
    const password = this.#credentials.slice(this.#credentials.indexOf(':') + 1, -1);
    return password === '' ? [] : [password];
  }

  /** For the header: where memcached is and what the demo can do to it. */
  describe(): string {
    const where = `${this.#upstream.host}:${this.#upstream.port}`;
    const what = this.#owned ? `memcached ${where} (started by the demo)` : `memcached ${where} (yours)`;
    return `${what}, fault proxy ${this.#proxy.address}`;
  }

  get fault(): Fault {
    return this.#fault;
  }

  /** The fault in words. */
  get faultLabel(): string {
    return this.#fault === 'killed' && !this.#owned
      ? 'memcached cut off (connections refused)'
      : FAULT_LABEL[this.#fault];
  }

  /** What `kill` does to this memcached, for the demo to say. */
  get killSays(): string | undefined {
    return this.#owned ? undefined : 'memcached is cut off: the proxy refuses connections';
  }

  /** Kills our memcached (SIGKILL); an existing one is cut off instead: the proxy refuses connections. */
  async kill(): Promise<void> {
    if (this.#owned) {
      await this.#memcached?.stop('SIGKILL');
      await this.#proxy.setMode({ kind: 'pass' });
    } else {
      await this.#proxy.setMode({ kind: 'refuse' });
    }
    this.#fault = 'killed';
  }

  /**
   * memcached runs (restarted if it was killed) but no answer gets through until the link is
   * restored; then the held answers arrive, as TCP would retransmit them after a real partition.
   */
  async blackhole(): Promise<void> {
    await this.#proxy.setMode({ kind: 'partition' });
    await this.#ensureRunning();
    this.#fault = 'blackhole';
  }

  /** Every answer arrives `SLOW_LINK_MS` late. */
  async slow(): Promise<void> {
    await this.#ensureRunning();
    await this.#proxy.setMode({ kind: 'latency', ms: SLOW_LINK_MS });
    this.#fault = 'slow';
  }

  async restore(): Promise<void> {
    await this.#ensureRunning();
    await this.#proxy.setMode({ kind: 'pass' });
    this.#fault = 'none';
  }

  async close(): Promise<void> {
    await this.#proxy.close();
    await this.#memcached?.stop('SIGTERM');
  }

  async #ensureRunning(): Promise<void> {
    const memcached = this.#memcached;
    if (!memcached || (memcached.process.exitCode === null && memcached.process.signalCode === null)) return;
    // Same port: the proxy (and so the clients) find it where it was, empty, as after a real restart.
    this.#memcached = await startMemcached({ port: memcached.port });
    killOnExit(this.#memcached);
  }
}

// However the demo ends (an exception included), it must not leave a memcached behind.
function killOnExit(memcached: MemcachedProcess): void {
  const kill = () => memcached.process.kill('SIGKILL');
  process.once('exit', kill);
  memcached.process.once('exit', () => process.removeListener('exit', kill));
}
