import { once } from 'node:events';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { dirname } from 'node:path';
import tls from 'node:tls';
import type { TlsOptions } from '../../src/config/tls';
import {
  type MemcachedProcess,
  type StartMemcachedOptions,
  startMemcached,
  tempSocketPath,
} from '../../src/testing/memcached';
import { makeTestCertificates, type TestCertificates } from '../../src/testing/tlsCertificates';

/** The ways a client reaches a server: the shared suites run over each. */
export const TRANSPORTS = ['tcp', 'tls', 'unix'] as const;
export type Transport = (typeof TRANSPORTS)[number];

let certificates: TestCertificates | undefined;
/** One throwaway PKI per test file (openssl takes a moment); removed when the process exits. */
function certs(): TestCertificates {
  if (certificates === undefined) {
    const made = makeTestCertificates();
    certificates = made;
    process.once('exit', () => made.remove());
  }
  return certificates;
}

/** The client's `tls` option for a server over `transport` (undefined but over TLS). */
export function clientTls(transport: Transport): TlsOptions | undefined {
  return transport === 'tls' ? { ca: certs().ca.pem } : undefined;
}

/**
 * A real memcached over `transport`: `-Z` with the test certificates for TLS, `-s` for UNIX (on a new
 * path unless `unixSocket` names one).
 */
export function memcachedOver(transport: Transport, options: StartMemcachedOptions = {}): Promise<MemcachedProcess> {
  if (transport === 'unix') return startMemcached({ ...options, unixSocket: options.unixSocket ?? tempSocketPath() });
  if (transport === 'tcp') return startMemcached(options);
  const pki = certs();
  return startMemcached({ ...options, tls: { chainCert: pki.serverCert.path, key: pki.serverKey.path } });
}

/** A listener of a test's own (a fake server) over `transport`, and the address a client gives it. */
export interface Listener {
  readonly server: net.Server;
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Listens over `transport` and hands each connection's plain socket (TLS terminated) to `onSocket`.
 * `close()` ends every connection and the listener, and removes a UNIX socket's folder.
 */
export async function listenOver(transport: Transport, onSocket: (socket: net.Socket) => void): Promise<Listener> {
  const { sockets, accept } = tracking(onSocket);
  const server =
    transport === 'tls'
      ? tls.createServer({ cert: certs().serverCert.pem, key: certs().serverKey.pem }, accept)
      : net.createServer(accept);
  server.on('tlsClientError', () => {});
  const path = transport === 'unix' ? tempSocketPath('fake.sock') : undefined;
  if (path !== undefined) server.listen(path);
  else server.listen(0, '127.0.0.1');
  return listening(server, sockets, path, true);
}

/** A TCP or UNIX address as `net.connect` takes it. */
export type Endpoint = { readonly port: number } | { readonly path: string };

/**
 * Forwards every connection on `from` to `to`, byte for byte (TLS passes through untouched). When
 * the far side fails, the near side is ended too. Lets a TCP fault proxy sit on a UNIX socket path.
 */
export async function bridge(from: Endpoint, to: Endpoint): Promise<Listener> {
  return listenAt(from, (near) => {
    const far = 'path' in to ? net.connect(to.path) : net.connect(to.port, '127.0.0.1');
    far.on('error', () => near.destroy());
    far.on('close', () => near.destroy());
    near.on('close', () => far.destroy());
    near.pipe(far);
    far.pipe(near);
  });
}

async function listenAt(at: Endpoint, onSocket: (socket: net.Socket) => void): Promise<Listener> {
  const { sockets, accept } = tracking(onSocket);
  const server = net.createServer(accept);
  if ('path' in at) server.listen(at.path);
  else server.listen(at.port, '127.0.0.1');
  return listening(server, sockets, 'path' in at ? at.path : undefined, false);
}

/** Hands each accepted socket to `onSocket`, and holds it until it closes for `close()` to end. */
function tracking(onSocket: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const accept = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onSocket(socket);
  };
  return { sockets, accept };
}

/**
 * Once `server` listens (on `path`, or a TCP port), its Listener; `close()` ends `sockets` and the
 * server, and removes the folder of a path that `ownsPath` says the listener made.
 */
async function listening(
  server: net.Server,
  sockets: Set<net.Socket>,
  path: string | undefined,
  ownsPath: boolean,
): Promise<Listener> {
  await once(server, 'listening');
  const address = path ?? `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    server,
    address,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
      if (ownsPath && path !== undefined) rmSync(dirname(path), { recursive: true, force: true });
    },
  };
}
