import type { Socket } from 'node:net';
import { ConnectionError, CredentialsNotRequiredError } from '../core/errors';
import type { SocketListener } from '../transport/openSocket';
import type { LineResponse } from './LineResponse';
import { NO_ID, type WireRequest } from './WireRequest';

// memcached's answer, with an auth file (-Y), to any command before authentication; the connection
// stays open. Without -Y, `mn` answers MN (memcached 1.6 and later; ERROR before).
const UNAUTHENTICATED = 'CLIENT_ERROR unauthenticated';
const PROBE = 'mn\r\n';
const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * memcached's auth file login (`-Y`), the line protocols' only authentication, as the first request
 * of a connection: the command must be a `set` whose value is "user pass". Without -Y that `set`
 * would store the credentials as an item anyone can read, so a harmless `mn` goes first, alone
 * (memcached -Y drops the answer to an unauthenticated command followed by others), and the secret
 * only to a server that answers it `CLIENT_ERROR unauthenticated`; a server that answers anything
 * else fails the connection with `CredentialsNotRequiredError`. Everything
 * else the connection holds waits until the login succeeded: the socket is `ready` for it only then.
 */
export class AuthFileLogin implements WireRequest<LineResponse> {
  readonly span = 0;
  id = NO_ID;
  readonly #server: string;
  readonly #username: string;
  readonly #password: string;
  #socket: Socket | undefined;
  #listener: SocketListener | undefined;
  #secretSent = false;
  #done = false;

  constructor(server: string, username: string, password: string) {
    this.#server = server;
    this.#username = username;
    this.#password = password;
  }

  /** Until it is done, `CLIENT_ERROR unauthenticated` is the answer it waits for, not a refusal. */
  get pending(): boolean {
    return !this.#done;
  }

  /**
   * Wraps a connection's `open`: when the socket is ready the login writes its probe straight to
   * it, and tells the connection the socket is ready only once the server accepted the credentials.
   */
  open(open: (listener: SocketListener) => Socket): (listener: SocketListener) => Socket {
    return (listener) => {
      this.#listener = listener;
      const socket = open({ ready: () => socket.write(PROBE), failed: (err) => listener.failed(err) });
      this.#socket = socket;
      return socket;
    };
  }

  handle(response: LineResponse): boolean {
    if (this.#secretSent) {
      this.#finish(response.line === 'STORED' ? undefined : `authentication failed (${this.#server})`);
      return true;
    }
    if (response.line !== UNAUTHENTICATED) {
      this.#done = true;
      this.#listener?.failed(new CredentialsNotRequiredError(this.#server));
      return true;
    }
    this.#secretSent = true;
    const secret = Buffer.from(`${this.#username} ${this.#password}`, 'utf8');
    this.#socket?.write(Buffer.concat([Buffer.from(`set _auth 0 0 ${secret.length}\r\n`, 'latin1'), secret, CRLF]));
    return false;
  }

  fail(): void {
    this.#done = true;
  }

  #finish(failure: string | undefined): void {
    this.#done = true;
    if (failure === undefined) this.#listener?.ready();
    else this.#listener?.failed(new ConnectionError(new Error(failure)));
  }
}
