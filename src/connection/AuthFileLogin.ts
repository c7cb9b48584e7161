import { ConnectionError, CredentialsNotRequiredError } from '../core/errors';
import type { Connection } from './Connection';
import { code, type LineResponse } from './LineResponse';
import { NO_ID, type WireRequest } from './WireRequest';

/** What the handshake needs of its connection. */
export interface AuthFileWire {
  /** Writes straight to the socket: the connection holds every other request until `done`. */
  write(bytes: string | Buffer): void;
  /** Authenticated: the connection may now write what it holds. */
  done(): void;
  /** The server refused, or does not ask for credentials: the connection fails with `err`. */
  failed(err: Error): void;
}

// memcached's answer, with an auth file (-Y), to any command before authentication; the connection
// stays open. Without -Y, `mn` answers MN.
const UNAUTHENTICATED = 'CLIENT_ERROR unauthenticated';
const PROBE = 'mn\r\n';
const MN = code('MN');
const STORED = code('ST');
const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * memcached's auth file login, the authentication of the line protocols (meta and text), which
 * have no SASL: with an auth file (-Y) the first command must be a `set` whose value is "user
 * pass". Without -Y that `set` would store the credentials as an item anyone can read, so a
 * harmless `mn` goes first, alone (memcached -Y drops the answer to an unauthenticated command
 * followed by others), and the secret only to a server that answers it `CLIENT_ERROR
 * unauthenticated`. Costs one round trip per connection. It reads every answer until it is done:
 * the first request of its connection.
 */
export class AuthFileLogin {
  // A classic exchange: its answers carry no id.
  readonly span = 0;
  id = NO_ID;
  readonly #server: string;
  readonly #username: string;
  readonly #password: string;
  readonly #wire: AuthFileWire;
  #secretSent = false;

  constructor(server: string, username: string, password: string, wire: AuthFileWire) {
    this.#server = server;
    this.#username = username;
    this.#password = password;
    this.#wire = wire;
  }

  /** The socket is ready: asks whether the server wants credentials. */
  start(): void {
    this.#wire.write(PROBE);
  }

  handle(response: LineResponse): boolean {
    if (this.#secretSent) {
      if (response.code === STORED) this.#wire.done();
      else this.#wire.failed(new ConnectionError(new Error(`authentication failed (${this.#server})`)));
      return true;
    }
    if (response.code === MN) {
      this.#wire.failed(new CredentialsNotRequiredError(this.#server));
      return true;
    }
    if (response.line !== UNAUTHENTICATED) {
      this.#wire.failed(
        new ConnectionError(new Error(`unexpected answer to the authentication probe from ${this.#server}`)),
      );
      return true;
    }
    this.#secretSent = true;
    const secret = Buffer.from(`${this.#username} ${this.#password}`, 'utf8');
    this.#wire.write(Buffer.concat([Buffer.from(`set _auth 0 0 ${secret.length}\r\n`, 'latin1'), secret, CRLF]));
    return false;
  }

  fail(): void {}
}

const CL = code('CL');

/** What a line connection with credentials adds to its settings (loginFirst). */
export interface LoginSettings<A extends LineResponse> {
  readonly refuses: (answer: A) => Error | undefined;
  readonly ready?: (open: () => void) => void;
  /** Queues the login as the first request of `core`, the connection made with these settings. */
  begin(core: Connection<A, WireRequest<A>>): void;
}

/**
 * The connection settings of a login (none without `username`): requests are held until it
 * succeeded, and afterwards `CLIENT_ERROR unauthenticated` (memcached -Y and a connection that is
 * not authenticated: it closes) fails the connection, counted, like a failed SASL login.
 */
export function loginFirst<A extends LineResponse>(
  server: string,
  username: string | undefined,
  password: string | undefined,
): LoginSettings<A> {
  let login: AuthFileLogin | undefined;
  let open = (): void => {};
  return {
    refuses: (answer) =>
      login === undefined && answer.code === CL && answer.line === UNAUTHENTICATED
        ? new ConnectionError(new Error(`authentication failed (${server})`))
        : undefined,
    ...(username !== undefined && {
      ready: (held: () => void) => {
        if (login === undefined) held();
        else {
          open = held;
          login.start();
        }
      },
    }),
    begin(core) {
      if (username === undefined) return;
      login = new AuthFileLogin(server, username, password ?? '', {
        write: (bytes) => core.writeNow(bytes),
        done: () => {
          login = undefined;
          open();
        },
        failed: (err) => core.destroy(err),
      });
      core.expect(login);
    },
  };
}
