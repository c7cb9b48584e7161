import { portFactory } from '../../src/client/createClient';
import { resolveOptions } from '../../src/config/options';
import type { Protocol } from '../../src/config/protocol';
import type { PortFactory } from '../../src/port/MemcachedPort';
import { LoopbackMemcached, type WireOp, type WireRequest } from '../support/LoopbackMemcached';
import { PortCensus } from '../support/PortCensus';
import { GRAPH_OPTIONS } from './graphOptions';
import type { HeldOp, ModelServer, ServerMode } from './ModelServer';

// How long a wait on real sockets may take before the path fails: loopback answers in well under a
// millisecond, so this is only reached when the client never does what the model says.
const WAIT_MS = 2_000;

const HELD: Record<WireOp, HeldOp | undefined> = { get: 'get', version: 'ping', auth: undefined };

/**
 * The model suites' server behind a real adapter: the client's ports are the ones `protocol` selects
 * (memjs for binary, the meta or the text port), with the client's own settings, connected over real sockets to
 * a fake memcached on loopback (LoopbackMemcached) that answers as `mode` says. The server names the
 * suites use (`fake:11211`, `alpha:11211`) stay the client's; only the socket goes to loopback.
 *
 * A real adapter fails every call in flight when its port closes (both do: memjs's own close() did
 * not, memjs #162), so no result can come from a dropped connection: `lateResults` is false.
 */
export class WireServer implements ModelServer {
  readonly factory: PortFactory;
  readonly lateResults = false;
  readonly #protocol: Protocol;
  mode: ServerMode = 'up';
  calls = 0;
  readonly #reached: Record<HeldOp, number> = { get: 0, ping: 0 };
  readonly #census: PortCensus;
  readonly #held: { op: HeldOp; request: WireRequest }[] = [];
  readonly #waiters = new Set<() => void>();
  #memcached: LoopbackMemcached | undefined;

  private constructor(protocol: Protocol) {
    this.#protocol = protocol;
    const real = portFactory(resolveOptions({ ...GRAPH_OPTIONS, protocol }));
    this.#census = new PortCensus((server) => real({ ...server, host: '127.0.0.1', port: this.#loopback().port }));
    this.factory = this.#census.factory;
  }

  static async start(protocol: Protocol): Promise<WireServer> {
    const server = new WireServer(protocol);
    server.#memcached = await LoopbackMemcached.start(
      protocol,
      (request) => server.#receive(request),
      () => server.#changed(),
    );
    return server;
  }

  get portsMade(): number {
    return this.#census.created;
  }

  get openPorts(): number {
    return this.#census.open;
  }

  get connections(): number {
    return this.#loopback().sockets.size;
  }

  reached(op: HeldOp): number {
    return this.#reached[op];
  }

  answer(op: HeldOp): void {
    this.#take(op).answer();
  }

  refuse(op: HeldOp): void {
    this.#take(op).socket.destroy();
  }

  until(done: () => boolean, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`still not so after ${WAIT_MS} ms: ${what}`));
      }, WAIT_MS);
      this.#waiters.add(check);
    });
  }

  async stop(): Promise<void> {
    await this.#memcached?.close();
  }

  #receive(request: WireRequest): void {
    const op = HELD[request.op];
    // Authentication is the connection's own exchange: accepted, and not a call of the model.
    if (op === undefined) {
      request.answer();
      return;
    }
    this.calls++;
    this.#reached[op]++;
    switch (this.mode) {
      case 'up':
        request.answer();
        break;
      case 'refusing':
        request.socket.destroy();
        break;
      case 'serverError':
        request.answerError();
        break;
      case 'manual':
        this.#held.push({ op, request });
        // A held request goes with its connection.
        request.socket.once('close', () => {
          const index = this.#held.findIndex((held) => held.request === request);
          if (index >= 0) this.#held.splice(index, 1);
          this.#changed();
        });
        break;
    }
    this.#changed();
  }

  #take(op: HeldOp): WireRequest {
    const index = this.#held.findLastIndex((held) => held.op === op);
    if (index < 0) throw new Error(`no ${op} held by the ${this.#protocol} server`);
    return this.#held.splice(index, 1)[0]!.request;
  }

  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }

  #loopback(): LoopbackMemcached {
    if (!this.#memcached) throw new Error('WireServer used before start()');
    return this.#memcached;
  }
}
