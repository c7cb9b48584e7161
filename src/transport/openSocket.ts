import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import type { ResolvedTls } from '../config/tls';
import { lateAfterMs, systemClock } from '../core/clock';
import { ConnectionError } from '../core/errors';
import { describeSocketError } from './describeSocketError';

/** How sockets are opened: the parts of the resolved options the transport reads. */
export interface TransportSettings {
  /** TLS for TCP servers (UNIX socket servers stay plain); undefined for plain TCP. */
  readonly tls?: ResolvedTls | undefined;
  /** How long connecting (and the TLS handshake) may take, in milliseconds. */
  readonly connectTimeoutMs: number;
}

/** What the opener hears back. Each is called at most once, and never after the other failed. */
export interface SocketListener {
  /** Connected, and for TLS the handshake is done and the certificate checked: bytes may flow. */
  ready(): void;
  /**
   * The socket failed, before or after `ready`: it is destroyed already. Always a
   * `ConnectionError` (it counts toward healing) whose message names the server and what failed
   * (certificate, host name, client certificate, handshake or connect timeout), never a secret.
   * A clean close after `ready` (the peer's FIN) is not a failure here: the socket's own `close`
   * event tells it.
   */
  failed(err: ConnectionError): void;
}

/**
 * Opens one socket to `server` (the one way both adapters connect): a UNIX socket for a path, TLS
 * when `settings.tls` is set, else plain TCP. Returns the socket at once, before it is ready; the
 * caller reads, writes and closes it, and must not listen for its `error` events (they come to
 * `listener.failed`, worded). `ready` comes within `connectTimeoutMs` or `failed` does.
 */
export function openSocket(server: ServerAddress, settings: TransportSettings, listener: SocketListener): Socket {
  const { tls } = settings;
  const secure = tls !== undefined && server.path === undefined;
  const socket = secure
    ? tlsConnect({
        host: server.host,
        port: server.port,
        secureContext: tls.secureContext,
        // SNI takes a host name only (RFC 6066); an IP is checked against the certificate's IP SANs.
        servername: tls.servername ?? (isIP(server.host) === 0 ? server.host : undefined),
        rejectUnauthorized: tls.rejectUnauthorized,
        ...(tls.checkServerIdentity ? { checkServerIdentity: tls.checkServerIdentity } : {}),
      })
    : server.path !== undefined
      ? netConnect({ path: server.path })
      : netConnect({ host: server.host, port: server.port });
  let state: 'opening' | 'ready' | 'failed' = 'opening';
  const fail = (err: ConnectionError) => {
    if (state === 'failed') return;
    state = 'failed';
    systemClock.clearTimeout(deadline);
    socket.destroy();
    listener.failed(err);
  };
  const what = secure
    ? 'TLS handshake with'
    : server.path !== undefined
      ? 'connecting to UNIX socket'
      : 'connecting to';
  const timedOut = () => {
    if (state !== 'opening') return;
    fail(
      new ConnectionError(
        new Error(`${what} ${formatServer(server)} did not finish within ${settings.connectTimeoutMs} ms`),
      ),
    );
  };
  const opened = systemClock.now();
  const deadline = systemClock.setTimeout(() => {
    // Fired late: this process held the event loop (a long synchronous stretch of the caller's), and
    // the connection may be made, its event unread. One turn of the event loop (after the poll
    // phase) before failing, as the call deadlines do (DeadlineQueue): a stall of the caller's is
    // not the server's failure to connect.
    if (systemClock.now() - opened - settings.connectTimeoutMs > lateAfterMs(settings.connectTimeoutMs)) {
      setImmediate(timedOut).unref();
    } else timedOut();
  }, settings.connectTimeoutMs);
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    if (state !== 'opening') return;
    state = 'ready';
    systemClock.clearTimeout(deadline);
    listener.ready();
  });
  socket.on('error', (err) => fail(describeSocketError(err, server, { secure, ready: state === 'ready' })));
  // A peer that closes cleanly before the handshake ends: Node reports it as an error, but make sure.
  socket.once('close', () => {
    if (state === 'opening')
      fail(new ConnectionError(new Error(`${formatServer(server)} closed the connection before it was ready`)));
    systemClock.clearTimeout(deadline);
  });
  return socket;
}
