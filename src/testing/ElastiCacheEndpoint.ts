import { once } from 'node:events';
import net from 'node:net';

/** One node of the cluster as the endpoint lists it: `host|ip|port` (an empty `ip` lists the host only). */
export interface ClusterNode {
  readonly host: string;
  readonly ip?: string;
  readonly port: number;
}

/**
 * An ElastiCache configuration endpoint on 127.0.0.1: it answers `config get cluster` with the
 * nodes it is given, as ElastiCache does, so a test can add and remove memcached servers under a
 * client's `discovery: { elasticache: endpoint.address }`. `refuse()` takes it down (connections
 * refused, the port kept), `hang()` makes it read and never answer, `answerWith(text)` makes it
 * answer anything.
 *
 * @example
 * const a = await startMemcached();
 * const endpoint = await ElastiCacheEndpoint.start([{ host: 'localhost', ip: '127.0.0.1', port: a.port }]);
 * const cache = createClient({ discovery: { elasticache: endpoint.address, intervalMs: 1_000 } });
 * endpoint.setNodes([...]); // the next poll sees version 2
 */
export class ElastiCacheEndpoint {
  #nodes: readonly ClusterNode[];
  #version: number;
  #raw: string | undefined;
  #hanging = false;
  #server: net.Server | undefined;
  #port = 0;
  #requests = 0;
  readonly #sockets = new Set<net.Socket>();

  private constructor(nodes: readonly ClusterNode[], version: number) {
    this.#nodes = nodes;
    this.#version = version;
  }

  /** Starts an endpoint listing `nodes` as configuration `version` (1 by default), on a free port unless `port` is given. */
  static async start(nodes: readonly ClusterNode[], options: { version?: number; port?: number } = {}) {
    const endpoint = new ElastiCacheEndpoint(nodes, options.version ?? 1);
    await endpoint.#listen(options.port ?? 0);
    return endpoint;
  }

  /** `127.0.0.1:port`: the `elasticache` to give the client under test. */
  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** The configuration version it answers now. */
  get version(): number {
    return this.#version;
  }

  /** How many `config get cluster` it has answered (or refused to, with `answerWith`). */
  get requests(): number {
    return this.#requests;
  }

  /** The next answers list `nodes`, as `version` (one more than now by default: a change). */
  setNodes(nodes: readonly ClusterNode[], version = this.#version + 1): void {
    this.#nodes = nodes;
    this.#version = version;
    this.#raw = undefined;
    this.#hanging = false;
  }

  /** The next answers are `text` exactly (e.g. `'ERROR\r\n'`, or a malformed configuration) until `setNodes`. */
  answerWith(text: string): void {
    this.#raw = text;
    this.#hanging = false;
  }

  /** The next requests are read and never answered (an endpoint that hangs), until `setNodes` or `answerWith`. */
  hang(): void {
    this.#hanging = true;
  }

  /** The answer to `config get cluster` as ElastiCache writes it: version and node lines end with `\n` alone. */
  reply(): string {
    if (this.#raw !== undefined) return this.#raw;
    const nodes = this.#nodes.map((node) => `${node.host}|${node.ip ?? ''}|${node.port}`).join(' ');
    const body = `${this.#version}\n${nodes}\n`;
    return `CONFIG cluster 0 ${Buffer.byteLength(body)}\r\n${body}\r\nEND\r\n`;
  }

  /** Stops listening and drops open connections: polls are refused, until `restore()` listens on the same port. */
  async refuse(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    if (!this.#server) await this.#listen(this.#port);
  }

  async stop(): Promise<void> {
    await this.refuse();
  }

  async #listen(port: number): Promise<void> {
    const server = net.createServer((socket) => this.#serve(socket));
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
    this.#port = (server.address() as net.AddressInfo).port;
  }

  #serve(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = pending.slice(0, end).replace(/\r$/, '');
        pending = pending.slice(end + 1);
        this.#requests++;
        if (this.#hanging) continue;
        socket.write(line === 'config get cluster' || this.#raw !== undefined ? this.reply() : 'ERROR\r\n');
      }
    });
  }
}
