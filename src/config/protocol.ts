import { InvalidOptionError } from '../core/errors';

/** The wire protocols of the `protocol` option (README "Choosing a protocol"). */
export type Protocol = 'binary' | 'meta' | 'text';
export const PROTOCOLS: readonly Protocol[] = ['binary', 'meta', 'text'];

/** The `protocol` option, validated: `'binary'` when absent. */
export function resolveProtocol(protocol: unknown): Protocol {
  if (protocol === undefined) return 'binary';
  if (!PROTOCOLS.includes(protocol as Protocol)) {
    throw new InvalidOptionError('protocol', protocol, PROTOCOLS.map((p) => `'${p}'`).join(', '));
  }
  return protocol as Protocol;
}
