import type { CallOptions } from '../api/CallOptions';
import { validateExpiration } from '../core/validation';
import type { CommandParts } from './CommandParts';

/** A command's arguments of one key: the wire key and the caller's (which routes the call). */
export interface KeyArgs {
  readonly key: string;
  readonly userKey: string;
}

/** A key and an expiration (seconds, memcached meaning): `gat`, `touch`. */
export interface KeyExpiration extends KeyArgs {
  readonly expiration: number;
}

/** `(key, opts)`: the key checked. */
export function keyInput(parts: CommandParts, key: unknown): KeyArgs {
  return { key: parts.key(key), userKey: key as string };
}

/** `(key, expiration, opts)`: the key checked, then the expiration. */
export function keyExpirationInput(parts: CommandParts, key: unknown, expiration: unknown): KeyExpiration {
  const wire = parts.key(key);
  validateExpiration(expiration, parts.unixSeconds, parts.expirations);
  return { key: wire, userKey: key as string, expiration };
}

/** The call options of a command whose last argument is its second. */
export const secondOptions = (_args: unknown, second: unknown): CallOptions | undefined =>
  second as CallOptions | undefined;

/** The call options of a command whose last argument is its third. */
export const thirdOptions = (_args: unknown, _second: unknown, third: unknown): CallOptions | undefined =>
  third as CallOptions | undefined;

/** How many keys a read of one key found (published on the command channel). */
export const oneHit = (item: unknown): number => (item === undefined ? 0 : 1);

/** What the reads that also set the expiration (`gat`, `gats`) share: key, expiration, options. */
export const READ_AND_TOUCH = { hits: oneHit, input: keyExpirationInput, options: thirdOptions } as const;
