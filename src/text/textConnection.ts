import type { ServerAddress } from '../config/parseServers';
import { AuthFileLogin } from '../connection/AuthFileLogin';
import { Connection } from '../connection/Connection';
import { code } from '../connection/LineResponse';
import type { WireLimits } from '../connection/WireRequest';
import { ConnectionError } from '../core/errors';
import { openSocket, type SocketListener, type TransportSettings } from '../transport/openSocket';
import { TextReader } from './TextReader';
import type { TextResponse } from './TextResponse';
import type { TextRequest } from './textRequests';

/** One socket to one server speaking the classic text protocol: the connection core, the text reader. */
export type TextConnection = Connection<TextResponse, TextRequest>;

const CL = code('CL');
const UNAUTHENTICATED = 'CLIENT_ERROR unauthenticated';

/**
 * Opens a text connection to `address` (TCP, TLS or a UNIX socket, src/transport), logging in
 * first when the address has credentials (memcached's auth file, AuthFileLogin). `onData` hears
 * every chunk received.
 */
export function textConnection(
  address: ServerAddress,
  settings: TransportSettings,
  server: string,
  limits: WireLimits,
  onData: () => void,
): TextConnection {
  const login =
    address.username === undefined ? undefined : new AuthFileLogin(server, address.username, address.password ?? '');
  const open = (listener: SocketListener) => openSocket(address, settings, listener);
  const connection: TextConnection = new Connection<TextResponse, TextRequest>({
    open: login === undefined ? open : login.open(open),
    server,
    onData,
    reader: (deliver) => new TextReader(deliver, limits, server),
    // An auth file (-Y) is on and this connection is not authenticated: memcached answers this to
    // every command. The server cannot be used; like a failed login, it counts.
    refuses: (response) =>
      response.code === CL && login?.pending !== true && response.line === UNAUTHENTICATED
        ? new ConnectionError(new Error(`authentication failed (${server})`))
        : undefined,
  });
  if (login !== undefined) connection.expect(login);
  return connection;
}
