import type { Logger } from '../core/logger';
import type { ExpirationLimit } from '../core/validation';
import type { CallRunner } from '../engine/CallRunner';
import type { ServerPool } from '../pool/ServerPool';
import type { KeyPrefix } from './KeyPrefix';
import type { Values } from './Values';

/** What the command groups of one client share, made once by the client. */
export interface ClientParts<V, In> {
  /** Runs each call on its server, with the deadline and failure counting. */
  readonly calls: CallRunner;
  /** The servers: which one owns a key, and all of them. */
  readonly pool: ServerPool;
  /** The caller's keys validated and turned into wire keys (and back). */
  readonly prefix: KeyPrefix;
  /** The codec step, on the way in and out of every value-carrying command. */
  readonly values: Values<V, In>;
  readonly logger: Logger;
  /** Unix time by the client's clock, for absolute expirations. */
  readonly unixSeconds: () => number;
  /** The protocol's expirations: one it cannot send faithfully is refused before any I/O. */
  readonly expirations: ExpirationLimit;
}
