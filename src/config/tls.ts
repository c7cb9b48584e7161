import { type ConnectionOptions, createSecureContext, type SecureContext, type SecureVersion } from 'node:tls';
import { didYouMean } from '../core/closestName';
import { InvalidOptionError } from '../core/errors';
import { checkPem, NOT_SHOWN } from './pem';

/**
 * The `tls` option: the part of Node's `tls.ConnectionOptions` that matters for memcached. With any
 * of it (or `tls: true`) every TCP server is reached over TLS; UNIX socket servers stay plain.
 */
export interface TlsOptions {
  /** Trusted CA certificates: PEM contents, not a file path; each must parse. @default Node's bundled root CAs */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** The client certificate chain (PEM), for memcached's `ssl_verify_mode=2|3`. Needs `key`. @default none */
  readonly cert?: string | Buffer | readonly (string | Buffer)[];
  /** The client certificate's private key (PEM). Needs `cert`. @default none */
  readonly key?: string | Buffer | readonly (string | Buffer)[];
  /** Decrypts `key`. @default none */
  readonly passphrase?: string;
  /** The name sent as SNI and checked against the server's certificate. @default the server's host, unless it is an IP address */
  readonly servername?: string;
  /** `false` accepts any certificate: an explicit opt-out, never a default. @default true */
  readonly rejectUnauthorized?: boolean;
  /** The lowest TLS version offered. @default Node's default ('TLSv1.2') */
  readonly minVersion?: SecureVersion;
  /** Replaces the host name check (see Node's `tls.checkServerIdentity`). @default Node's check */
  readonly checkServerIdentity?: ConnectionOptions['checkServerIdentity'];
}

/**
 * TLS as the transport uses it. Certificates and key are loaded once, into a SecureContext every
 * connection shares: the key and passphrase themselves are not kept anywhere the client can print.
 */
export interface ResolvedTls {
  readonly secureContext: SecureContext;
  readonly servername: string | undefined;
  readonly rejectUnauthorized: boolean;
  readonly checkServerIdentity: ConnectionOptions['checkServerIdentity'] | undefined;
}

const KEYS: readonly string[] = [
  'ca',
  'cert',
  'key',
  'passphrase',
  'servername',
  'rejectUnauthorized',
  'minVersion',
  'checkServerIdentity',
];
const VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Validates the `tls` option; `undefined` or `false` means plain TCP. Never echoes key material. */
export function resolveTls(tls: unknown): ResolvedTls | undefined {
  if (tls === undefined || tls === false) return undefined;
  // Each field read once, into these: what is checked is what is loaded.
  const {
    servername,
    rejectUnauthorized = true,
    minVersion,
    checkServerIdentity,
    passphrase,
    ...pems
  } = tls === true ? ({} as TlsOptions) : checkShape(tls);
  const ca = checkPem('ca', pems.ca);
  const cert = checkPem('cert', pems.cert);
  const key = checkPem('key', pems.key);
  if (passphrase !== undefined && typeof passphrase !== 'string') {
    throw new InvalidOptionError('tls.passphrase', NOT_SHOWN, 'a string');
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new InvalidOptionError('tls', NOT_SHOWN, 'both `cert` and `key` (a client certificate), or neither');
  }
  if (servername !== undefined && (typeof servername !== 'string' || servername === '')) {
    throw new InvalidOptionError('tls.servername', servername, 'a non-empty host name');
  }
  if (typeof rejectUnauthorized !== 'boolean') {
    throw new InvalidOptionError('tls.rejectUnauthorized', rejectUnauthorized, 'true or false');
  }
  if (minVersion !== undefined && !VERSIONS.includes(minVersion)) {
    throw new InvalidOptionError('tls.minVersion', minVersion, VERSIONS.map((v) => `'${v}'`).join(', '));
  }
  if (checkServerIdentity !== undefined && typeof checkServerIdentity !== 'function') {
    throw new InvalidOptionError('tls.checkServerIdentity', checkServerIdentity, 'a function (host, cert)');
  }
  let secureContext: SecureContext;
  try {
    secureContext = createSecureContext({ ca, cert, key, passphrase, minVersion });
  } catch (err) {
    // OpenSSL's code (e.g. ERR_OSSL_BAD_DECRYPT for a wrong passphrase) says what is wrong; its
    // message is not shown, nor anything it was given.
    const code = (err as { code?: unknown }).code;
    throw new InvalidOptionError(
      'tls',
      NOT_SHOWN,
      `PEM certificates and a key that \`passphrase\` opens (Node could not load them: ${typeof code === 'string' ? code : 'invalid'})`,
    );
  }
  return { secureContext, servername, rejectUnauthorized, checkServerIdentity };
}

function checkShape(tls: unknown): TlsOptions {
  if (typeof tls !== 'object' || tls === null || Array.isArray(tls)) {
    throw new InvalidOptionError('tls', tls, 'true, false, or an object of tls.ConnectionOptions (ca, cert, key, ...)');
  }
  for (const name of Object.keys(tls)) {
    if (!KEYS.includes(name)) throw new InvalidOptionError(`tls.${name}`, NOT_SHOWN, didYouMean(name, KEYS));
  }
  return tls as TlsOptions;
}
