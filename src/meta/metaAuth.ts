import { NO_ID } from '../connection/WireRequest';
import { ConnectionError, CredentialsNotRequiredError } from '../core/errors';
import { code, type MetaResponse } from './MetaReader';

/** What the handshake needs of its connection. */
export interface MetaAuthWire {
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
 * The meta protocol's authentication, the first request of a connection: memcached's text protocol
 * has no SASL; with an auth file (-Y) the first command must be a `set` whose value is "user pass".
 * Without -Y that `set` would store the credentials as an item anyone can read, so a harmless `mn`
 * goes first, alone (memcached -Y drops the answer to an unauthenticated command followed by
 * others), and the secret only to a server that answers it `CLIENT_ERROR unauthenticated`. Costs
 * one round trip per connection. It reads every answer until it is done: a `MetaRequest`.
 */
export class MetaAuth {
  // A classic exchange: its answers carry no id.
  readonly span = 0;
  id = NO_ID;
  readonly #server: string;
  readonly #username: string;
  readonly #password: string;
  readonly #wire: MetaAuthWire;
  #secretSent = false;

  constructor(server: string, username: string, password: string, wire: MetaAuthWire) {
    this.#server = server;
    this.#username = username;
    this.#password = password;
    this.#wire = wire;
  }

  /** The socket is ready: asks whether the server wants credentials. */
  start(): void {
    this.#wire.write(PROBE);
  }

  handle(response: MetaResponse): boolean {
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
