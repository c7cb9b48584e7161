import type { ServerAddress } from '../config/parseServers';
import { loginFirst } from '../connection/AuthFileLogin';
import { Connection } from '../connection/Connection';
import type { WireLimits } from '../connection/WireRequest';
import { openSocket, type TransportSettings } from '../transport/openSocket';
import { TextReader } from './TextReader';
import type { TextResponse } from './TextResponse';
import type { TextRequest } from './textRequests';

/** One socket to one server speaking the classic text protocol: the connection core, the text reader. */
export type TextConnection = Connection<TextResponse, TextRequest>;

/**
 * Opens a text connection to `address` (TCP, TLS or a UNIX socket, src/transport), logging in
 * first when the address has credentials (memcached's auth file, AuthFileLogin.ts). `onData` hears
 * every chunk received.
 */
export function textConnection(
  address: ServerAddress,
  settings: TransportSettings,
  server: string,
  limits: WireLimits,
  onData: () => void,
): TextConnection {
  const login = loginFirst<TextResponse>(server, address.username, address.password);
  const connection: TextConnection = new Connection<TextResponse, TextRequest>({
    open: (listener) => openSocket(address, settings, listener),
    server,
    onData,
    reader: (deliver) => new TextReader(deliver, limits, server),
    refuses: login.refuses,
    ...(login.ready && { ready: login.ready }),
  });
  login.begin(connection);
  return connection;
}
