import { MemcacheClient } from 'memcache-client';
import Memcached from 'memcached';
import memjs from 'memjs';
import CircuitBreaker from 'opossum';
import { FloorClient } from './FloorClient';
import type { Library } from './library';

export type ContenderName =
  | 'reconnecting-memcached'
  | 'reconnecting-memcached (meta)'
  | 'reconnecting-memcached (text)'
  | 'floor'
  | 'memcache-client'
  | 'memjs'
  | 'memjs+opossum'
  | 'memcached';

/** This library (binary protocol, the default) first: ratios are its rate over the others'. */
export const CONTENDERS: readonly ContenderName[] = [
  'reconnecting-memcached',
  'reconnecting-memcached (meta)',
  'reconnecting-memcached (text)',
  'memjs',
  'memjs+opossum',
  'memcached',
];

/**
 * The healthy suite's: also the floor (bench/FloorClient.ts, the least a client can cost) and
 * memcache-client (a text-protocol client with a pipeline of its own). Neither has a fail-fast
 * mode to measure in an outage.
 */
export const HEALTHY_CONTENDERS: readonly ContenderName[] = [...CONTENDERS, 'floor', 'memcache-client'];

/**
 * One client under test, behind the calls the workloads make. Every call resolves or rejects the
 * way the client does on its own; the workloads only await it.
 */
export interface Contender {
  readonly name: ContenderName;
  get(key: string): Promise<unknown>;
  set(key: string, value: Buffer): Promise<unknown>;
  /** Resolves with the number of hits. memjs has none: per-key gets in parallel, as a user would. */
  getMulti(keys: string[]): Promise<number>;
  /** Drives the client into its fail-fast mode against a down server; resolves when it is there. */
  becomeFailFast?(): Promise<void>;
  close(): Promise<void>;
}

/** What this library's defaults are; the DIY breaker is configured to match them. */
export const TIMEOUT_MS = 100;
const ALLOWED_FAILURES = 10;
const RECOVERY_DELAY_MS = 10_000;

// The parts of memjs 1.3.2's public API used here (it ships no types).
interface MemjsClient {
  get(key: string): Promise<{ value: Buffer | null; flags: Buffer | null }>;
  set(key: string, value: Buffer, options: { expires?: number }): Promise<boolean>;
  close(): void;
}
const createMemjs = (servers: string): MemjsClient =>
  (memjs as unknown as { Client: { create(s: string, o: object): MemjsClient } }).Client.create(servers, {
    // Everything else at its defaults, as a user would; only memjs's console logging is silenced.
    logger: { log() {} },
  });

export interface ContenderOptions {
  /** Passed to this library's createClient on top of `servers`. */
  readonly client?: Partial<Parameters<Library['createClient']>[0]>;
}

export function createContender(
  name: ContenderName,
  lib: Library,
  servers: string,
  options: ContenderOptions = {},
): Contender {
  switch (name) {
    case 'reconnecting-memcached':
      return reconnecting(name, lib, servers, options);
    case 'reconnecting-memcached (meta)':
      return reconnecting(name, lib, servers, { client: { ...options.client, protocol: 'meta' } });
    case 'reconnecting-memcached (text)':
      return reconnecting(name, lib, servers, { client: { ...options.client, protocol: 'text' } });
    case 'floor':
      return floor(servers);
    case 'memcache-client':
      return memcacheClient(servers);
    case 'memjs':
      return rawMemjs(servers);
    case 'memjs+opossum':
      return opossum(servers);
    case 'memcached':
      return memcachedPackage(servers);
  }
}

function reconnecting(name: ContenderName, lib: Library, servers: string, options: ContenderOptions): Contender {
  const client = lib.createClient({ ...options.client, servers });
  return {
    name,
    get: (key) => client.get(key),
    set: (key, value) => client.set({ key, value }),
    getMulti: (keys) => client.getMulti(keys).then((r) => (r.ok ? r.items.size : 0)),
    async becomeFailFast() {
      while (client.state !== 'reconnecting') await Promise.all(batch(() => client.get('bench:probe')));
    },
    close: () => client.close(),
  };
}

function rawMemjs(servers: string): Contender {
  const client = createMemjs(servers);
  const get = (key: string) => client.get(key);
  return {
    name: 'memjs',
    get,
    set: (key, value) => client.set(key, value, {}),
    getMulti: (keys) => Promise.all(keys.map(get)).then((rs) => rs.reduce((n, r) => (r.value === null ? n : n + 1), 0)),
    async close() {
      client.close();
    },
  };
}

function opossum(servers: string): Contender {
  const client = createMemjs(servers);
  // The do-it-yourself alternative: one breaker around every memjs call, tuned like this library.
  const breaker = new CircuitBreaker(
    (key: string, value?: Buffer): Promise<unknown> =>
      value === undefined ? client.get(key) : client.set(key, value, {}),
    {
      timeout: TIMEOUT_MS,
      resetTimeout: RECOVERY_DELAY_MS,
      volumeThreshold: ALLOWED_FAILURES,
      errorThresholdPercentage: 50,
    },
  );
  return {
    name: 'memjs+opossum',
    get: (key) => breaker.fire(key),
    set: (key, value) => breaker.fire(key, value),
    getMulti: (keys) =>
      Promise.all(keys.map((key) => breaker.fire(key) as Promise<{ value: Buffer | null }>)).then((rs) =>
        rs.reduce((n, r) => (r.value === null ? n : n + 1), 0),
      ),
    async becomeFailFast() {
      while (!breaker.opened) await Promise.all(batch(() => breaker.fire('bench:probe').catch(() => {})));
    },
    async close() {
      breaker.shutdown();
      client.close();
    },
  };
}

function memcachedPackage(servers: string): Contender {
  // A pool of 10 sockets per server (its default). Its failure handling is tuned like this library:
  // with its defaults (5 pool retries backing off from 1 s), a first get against a refused port
  // takes over a minute, and a dead server is retried every 5 hours.
  const client = new Memcached(servers.split(','), {
    timeout: TIMEOUT_MS,
    retries: 0,
    failures: ALLOWED_FAILURES,
    retry: RECOVERY_DELAY_MS,
    reconnect: RECOVERY_DELAY_MS,
  });
  const get = (key: string) =>
    new Promise((resolve, reject) => client.get(key, (err, data) => (err ? reject(err) : resolve(data))));
  return {
    name: 'memcached',
    get,
    set: (key, value) =>
      new Promise((resolve, reject) => client.set(key, value, 0, (err, ok) => (err ? reject(err) : resolve(ok)))),
    getMulti: (keys) =>
      new Promise((resolve, reject) =>
        client.getMulti(keys, (err, data) => (err ? reject(err) : resolve(Object.keys(data ?? {}).length))),
      ),
    async becomeFailFast() {
      // It fails fast once it has marked the server dead: "Server at ... not available".
      for (;;) {
        const err = await get('bench:probe').then(
          () => undefined,
          (e: unknown) => e,
        );
        if (err instanceof Error && err.message.includes('not available')) return;
      }
    },
    async close() {
      client.end();
    },
  };
}

function floor(servers: string): Contender {
  const [host, port] = servers.split(',')[0]!.split(':') as [string, string];
  const client = new FloorClient(host, Number(port));
  return {
    name: 'floor',
    get: (key) => client.get(key),
    set: (key, value) => client.set(key, value),
    getMulti: (keys) => client.getMulti(keys),
    async close() {
      client.close();
    },
  };
}

function memcacheClient(servers: string): Contender {
  // One connection (its default), as this library has per server.
  const client = new MemcacheClient({ server: servers.split(',')[0]!, cmdTimeout: TIMEOUT_MS });
  return {
    name: 'memcache-client',
    get: (key) => client.get(key),
    // Its stores expire after 60 s unless told otherwise: the keys every other workload reads
    // would turn into misses under them (the getMulti rows measured misses until this said 0).
    set: (key, value) => client.set(key, value, { lifetime: 0 }),
    getMulti: (keys) => client.get(keys).then((found) => Object.keys(found ?? {}).length),
    async close() {
      client.shutdown();
    },
  };
}

// Calls started together: reaching a fail-fast mode through a black hole takes one timeout per
// batch instead of one per call.
function batch<T>(call: () => Promise<T>): Promise<T>[] {
  return Array.from({ length: ALLOWED_FAILURES + 6 }, call);
}
