import type { Socket } from 'node:net';
import memjs from 'memjs';
import type { Item } from '../api/Item';
import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import { ConnectionError, ServerError, TimeoutError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { MemcachedPort, PortFactory } from '../port/MemcachedPort';
import { emptyRequest, keyRequest, multiGetRequest, storeRequest } from './binaryRequest';
import { adaptServer, type InPlaceResponse, type MemjsServer, type ResponseHandler } from './memjsServer';
import { RequestIds } from './RequestIds';

// The parts of memjs 1.3.2's Client used here; the Server is described in memjsServer.ts.
// Its `seq` and `incrSeq` are never used: request ids come from RequestIds (issue 11 #2).
interface MemjsClient {
  // The response is ours: every server of a port is adapted (memjsServer.ts).
  perform(key: string, request: Buffer, seq: number, callback: (err: unknown, response: InPlaceResponse) => void): void;
}
interface MemjsModule {
  Client: new (servers: MemjsServer[], options: object) => MemjsClient;
  Server: new (
    host: string,
    port: number,
    username: string | undefined,
    password: string | undefined,
    options: object,
  ) => MemjsServer;
}
const { Client, Server } = memjs as unknown as MemjsModule;

const OP_GET = 0x00;
const OP_SET = 0x01;
const OP_DELETE = 0x04;
const OP_VERSION = 0x0b;
const OP_NOOP = 0x0a;
const OP_GETKQ = 0x0d;
const STATUS_OK = 0x00;
const STATUS_KEY_NOT_FOUND = 0x01;

// memcached's binary protocol status codes, for error messages.
const STATUS_TEXT: Record<number, string> = {
  1: 'Key not found',
  2: 'Key exists',
  3: 'Value too large',
  4: 'Invalid arguments',
  5: 'Item not stored',
  6: 'Incr/Decr on non-numeric value',
  8: 'Authentication error',
  129: 'Unknown command',
  130: 'Out of memory',
  131: 'Not supported',
  132: 'Internal error',
  133: 'Busy',
  134: 'Temporary failure',
};

function statusError(command: string, status: number): ServerError {
  return new ServerError(new Error(`MemJS ${command}: ${STATUS_TEXT[status] ?? `status 0x${status.toString(16)}`}`));
}

export interface MemjsPortSettings {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly logger: Logger;
  /** For tests: the first request id, e.g. next to 2^32 to cross the wrap on a real memcached. */
  readonly firstRequestId?: number;
}

/**
 * A factory of ports over memjs 1.3.2: one memjs Client with one server (one socket) per port, so
 * each server's connection lives and heals on its own.
 */
export function memjsPortFactory(settings: MemjsPortSettings): PortFactory {
  return (server) => new MemjsPort(server, settings);
}

// memjs's own socket timeouts are the same event as our deadline: report them the same way.
const MEMJS_TIMEOUTS = new Set(['socket timed out connecting to server.', 'socket timed out waiting on response.']);

class MemjsPort implements MemcachedPort {
  readonly #client: MemjsClient;
  readonly #server: MemjsServer;
  readonly #timeoutMs: number;
  readonly #ids: RequestIds;
  // Every socket memjs opens for this port. memjs only end()s a timed-out socket; against a peer that
  // never answers it would linger half-open, so close() destroys them all.
  readonly #sockets = new Set<Socket>();
  #closed = false;

  constructor(address: ServerAddress, settings: MemjsPortSettings) {
    this.#timeoutMs = settings.timeoutMs;
    this.#ids = new RequestIds(settings.firstRequestId);
    const serverOptions = {
      timeout: settings.timeoutMs / 1000,
      conntimeout: settings.connectTimeoutMs / 1000,
      keepAlive: false,
    };
    const server = new Server(address.host, address.port, address.username, address.password, serverOptions);
    // memjs falls back to MEMCACHIER_*/MEMCACHE_* environment credentials; only configured ones count.
    server.username = address.username;
    server.password = address.password;
    this.#trackSockets(server);
    adaptServer(server);
    this.#server = server;
    const logger = settings.logger;
    this.#client = new Client([server], {
      // Retrying is the state machine's job: memjs's default (2 tries, 200 ms apart) is the slowness
      // this library exists to remove.
      retries: 1,
      retry_delay: 0,
      failover: false,
      expires: 0,
      // memjs logs every server error to the console by default.
      logger: { log: (...args: unknown[]) => logger.debug(`memjs: ${args.map(String).join(' ')}`) },
    });
  }

  // Requests are built here (see binaryRequest.ts) and sent through memjs's perform(), which picks
  // the server, registers the callbacks and writes; memjs's own get()/set() would build them with
  // five Buffers each, and its set() cannot write flags.
  get(key: string): Promise<Item | undefined> {
    const client = this.#client;
    const seq = this.#ids.next();
    const request = keyRequest(OP_GET, key, seq);
    return new Promise((resolve, reject) => {
      client.perform(key, request, seq, (err, response) => {
        if (err) return reject(this.#wrap(err));
        const status = response.header.status;
        if (status === STATUS_OK) return resolve({ key, value: response.val, flags: response.flags() });
        if (status === STATUS_KEY_NOT_FOUND) return resolve(undefined);
        reject(statusError('GET', status));
      });
    });
  }

  set(key: string, value: Buffer, flags: number, expiration: number): Promise<void> {
    const client = this.#client;
    const seq = this.#ids.next();
    const request = storeRequest(OP_SET, key, value, flags, expiration, seq);
    return new Promise((resolve, reject) => {
      client.perform(key, request, seq, (err, response) => {
        if (err) return reject(this.#wrap(err));
        if (response.header.status !== STATUS_OK) return reject(statusError('SET', response.header.status));
        resolve();
      });
    });
  }

  // Built here, not with memjs's delete(): that numbers the request with memjs's own seq.
  delete(key: string): Promise<boolean> {
    const seq = this.#ids.next();
    const request = keyRequest(OP_DELETE, key, seq);
    return new Promise((resolve, reject) => {
      this.#client.perform(key, request, seq, (err, response) => {
        if (err) return reject(this.#wrap(err));
        const status = response.header.status;
        if (status === STATUS_OK) return resolve(true);
        if (status === STATUS_KEY_NOT_FOUND) return resolve(false);
        reject(statusError('DELETE', status));
      });
    });
  }

  getMulti(keys: readonly string[]): Promise<Map<string, Item>> {
    const items = new Map<string, Item>();
    if (keys.length === 0) return Promise.resolve(items);
    return this.#getMultiOn(this.#server, keys, items);
  }

  ping(): Promise<void> {
    return this.#version(this.#server);
  }

  get received(): number {
    return this.#server.received;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const closing = new ConnectionError(new Error('connection closed by the client'));
    // Server.error() fails every callback still pending on the server: memjs's own close() would
    // leave them hanging forever (memjs issue #162).
    this.#server.error(closing);
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  // A real multi-get: one GETKQ per key (quiet: only hits answer) and one NOOP, written in one go,
  // all with the same opaque, so one quiet handler collects the hits until the NOOP's empty reply.
  /** Resolves with `items` once this server's hits are in it. */
  #getMultiOn(server: MemjsServer, keys: readonly string[], items: Map<string, Item>): Promise<Map<string, Item>> {
    const seq = this.#ids.next();
    const request = multiGetRequest(OP_GETKQ, OP_NOOP, keys, seq);
    return new Promise((resolve, reject) => {
      let failed: ServerError | undefined;
      // memcached answers the hits in the order they were asked for, so each hit's key is found
      // from the previous one on, compared in place instead of decoded; were the order ever
      // different, the key is decoded.
      let next = 0;
      const handler: ResponseHandler = (response) => {
        if (response.opcode === OP_NOOP) return failed ? reject(failed) : resolve(items);
        if (response.status !== STATUS_OK) {
          failed ??= statusError('GETKQ', response.status);
          return;
        }
        let key: string | undefined;
        for (let i = next; i < keys.length; i++) {
          if (response.keyIs(keys[i] as string)) {
            key = keys[i] as string;
            next = i + 1;
            break;
          }
        }
        key ??= response.key.toString('utf8');
        items.set(key, { key, value: response.val, flags: response.flags() });
      };
      handler.quiet = true;
      server.onResponse(seq, handler);
      server.onError(seq, (err) => reject(this.#wrap(err)));
      server.write(request);
    });
  }

  #version(server: MemjsServer): Promise<void> {
    const seq = this.#ids.next();
    return new Promise((resolve, reject) => {
      server.onResponse(seq, (response) => {
        if (response.header.status !== STATUS_OK) return reject(statusError('VERSION', response.header.status));
        resolve();
      });
      server.onError(seq, (err) => reject(this.#wrap(err, server)));
      server.write(emptyRequest(OP_VERSION, seq));
    });
  }

  // memjs hands out Errors, and for a SASL failure a plain string; make every rejection an Error whose
  // kind classifyError can tell. Status errors from memjs ("MemJS GET: ...") become ServerErrors.
  #wrap(err: unknown, server?: MemjsServer): Error {
    if (err instanceof ConnectionError || err instanceof ServerError) return err;
    if (typeof err === 'string') {
      const where = server ? ` (${formatServer(server)})` : '';
      return new ConnectionError(new Error(`${err}${where}`));
    }
    if (!(err instanceof Error)) return new ConnectionError(err);
    if (MEMJS_TIMEOUTS.has(err.message)) return new TimeoutError(this.#timeoutMs, { cause: err });
    if (err.message.startsWith('MemJS ') && !('code' in err)) return new ServerError(err);
    return err;
  }

  // memjs keeps per-server state across sockets: the half-received response of a socket that died
  // mid-value stays in `responseBuffer`, and the callbacks and deadlines of its requests stay
  // registered, so the next socket's bytes were parsed as the tail of the dead response and every
  // later call timed out until the client was replaced (seen with a link cut in a 64 KB value).
  // And memjs's close handler clears `_socket` whichever socket is current: a late close of a
  // retired socket orphaned the new one (seen after a SASL failure: calls hung, listeners piled up).
  // So each socket's state goes with the socket, and only the current socket's close touches the server.
  #trackSockets(server: MemjsServer): void {
    const sock = server.sock;
    const sockets = this.#sockets;
    const mine = new Set<Socket>();
    server.sock = function (this: MemjsServer, sasl, go) {
      const before = this._socket;
      if (before === undefined) {
        // A new socket: bytes still buffered, or still arriving on a socket memjs only end()ed, belong
        // to a dead stream.
        this.responseBuffer = Buffer.alloc(0);
        // memjs adds a once('authenticated') per connect and only a successful SASL exchange removes
        // it: each failed one left a listener (holding its first request) until the 11th warned
        // MaxListenersExceededWarning, and a leftover one would send a dead socket's request on this
        // socket once it authenticates (issue 11 #5). A new socket has no earlier exchange to finish.
        this.removeAllListeners('authenticated');
        for (const old of mine) old.destroy();
      }
      sock.call(this, sasl, go);
      const socket = this._socket;
      if (socket && socket !== before && !sockets.has(socket)) {
        sockets.add(socket);
        mine.add(socket);
        // Replaces memjs's own close handler (the only one on a fresh socket).
        socket.removeAllListeners('close');
        socket.on('close', () => {
          sockets.delete(socket);
          mine.delete(socket);
          // Retired already (error, timeout, close()): memjs has moved on, nothing here is this socket's.
          if (server._socket !== socket) return;
          // Closed under memjs (peer FIN, a cut link): memjs would leave its calls hanging (memjs #162).
          server.connected = false;
          server.error(new ConnectionError(new Error(`connection closed by ${formatServer(server)}`)));
        });
      }
    };
  }
}
