import type { ServerAddress } from '../config/parseServers';
import { formatServer } from '../config/parseServers';
import { ConnectionError } from '../core/errors';

// OpenSSL's verify results for a server certificate the client does not trust.
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'CERT_CHAIN_TOO_LONG',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
]);
const WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH', 'IP_ADDRESS_MISMATCH']);
// Alerts a server sends when it does not accept the client's certificate, or wants one it did not get.
const CLIENT_CERT_REFUSED =
  /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(CERTIFICATE_\w+|BAD_CERTIFICATE|UNKNOWN_CA|ACCESS_DENIED|UNSUPPORTED_CERTIFICATE)$/;

/**
 * A socket's error as a `ConnectionError` that says what failed and where: the certificate, the
 * host name, the client certificate, the TLS version, a path. Node's TLS errors say none of where,
 * and some carry the peer's certificate object; the worded error keeps only the code, never any
 * of the client's own key material (which the socket never exposes anyway).
 */
export function describeSocketError(
  err: Error,
  server: ServerAddress,
  how: { readonly secure: boolean; readonly ready: boolean },
): ConnectionError {
  const code = (err as NodeJS.ErrnoException).code;
  const at = formatServer(server);
  const text = wording(code, err.message, at, server, how);
  if (text === undefined) return new ConnectionError(err);
  return new ConnectionError(Object.assign(new Error(text), { code }));
}

function wording(
  code: string | undefined,
  message: string,
  at: string,
  server: ServerAddress,
  how: { readonly secure: boolean; readonly ready: boolean },
): string | undefined {
  if (code === undefined) return undefined;
  if (UNTRUSTED.has(code)) {
    return `TLS: the certificate of ${at} is not trusted (${code}: ${message}); give its CA as tls.ca`;
  }
  if (WRONG_NAME.has(code)) {
    return `TLS: the certificate of ${at} is not valid for that host name (${code}: ${message}); connect by a name it lists, or set tls.servername`;
  }
  if (CLIENT_CERT_REFUSED.test(code)) {
    return `TLS: ${at} refused the client certificate, or wants one (${code}); check tls.cert and tls.key`;
  }
  if (code === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') {
    return `TLS handshake with ${at} failed (${code}): it may require a client certificate, or share no cipher with this client`;
  }
  if (code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' || code === 'ERR_SSL_UNSUPPORTED_PROTOCOL') {
    return `TLS handshake with ${at} failed (${code}): no TLS version both sides accept; see tls.minVersion`;
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return `TLS handshake with ${at} failed (${code}): it does not answer in TLS (is memcached started with -Z?)`;
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return `TLS with ${at} failed (${code})`;
  }
  if (how.secure && !how.ready && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return `TLS handshake with ${at} failed: the server closed the connection (${code}); it may not speak TLS, or refused the client certificate`;
  }
  if (server.path !== undefined) {
    if (code === 'ENOENT') return `no UNIX socket at ${at} (ENOENT): is memcached running with -s ${at}?`;
    if (code === 'ECONNREFUSED') return `nothing listens on the UNIX socket ${at} (ECONNREFUSED)`;
    if (code === 'EACCES') return `no permission to connect to the UNIX socket ${at} (EACCES): see memcached's -a mask`;
  }
  return undefined;
}
