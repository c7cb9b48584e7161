import { describe, expect, it } from 'vitest';
import { parseServers } from '../../../src/config/parseServers';
import { ConnectionError } from '../../../src/core/errors';
import { classifyError } from '../../../src/engine/classifyError';
import { describeSocketError } from '../../../src/transport/describeSocketError';

const tcp = parseServers(['cache-a:11211'])[0]!;
const unix = parseServers(['/run/mc.sock'])[0]!;
const error = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
const during = { secure: true, ready: false };

describe('describeSocketError', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /certificate of cache-a:11211 is not trusted.*tls\.ca/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /not trusted/],
    ['CERT_HAS_EXPIRED', /not trusted/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /not valid for that host name.*tls\.servername/],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', /cache-a:11211 refused the client certificate, or wants one/],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', /refused the client certificate/],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', /refused the client certificate/],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', /handshake with cache-a:11211 failed.*client certificate/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /does not answer in TLS.*-Z/],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', /tls\.minVersion/],
    ['ERR_SSL_SOMETHING_NEW', /TLS with cache-a:11211 failed \(ERR_SSL_SOMETHING_NEW\)/],
    ['ECONNRESET', /server closed the connection \(ECONNRESET\)/],
  ])('%s is a connection failure that says what failed', (code, wording) => {
    const described = describeSocketError(error(code), tcp, during);
    expect(described).toBeInstanceOf(ConnectionError);
    expect(described.code).toBe('ERR_CONNECTION');
    expect(classifyError(described)).toBe('connection');
    expect(described.message).toMatch(wording);
    expect((described.cause as { code?: string }).code).toBe(code);
  });

  it('drops the raw TLS error, which carries the peer certificate object', () => {
    const raw = Object.assign(error('ERR_TLS_CERT_ALTNAME_INVALID'), { cert: { raw: Buffer.alloc(8) } });
    expect(describeSocketError(raw, tcp, during).cause).not.toBe(raw);
    expect(describeSocketError(raw, tcp, during).cause).not.toHaveProperty('cert');
  });

  it('words UNIX socket failures with the path', () => {
    const plain = { secure: false, ready: false };
    expect(describeSocketError(error('ENOENT'), unix, plain).message).toMatch(/no UNIX socket at \/run\/mc\.sock/);
    expect(describeSocketError(error('ECONNREFUSED'), unix, plain).message).toMatch(/nothing listens on the UNIX/);
    expect(describeSocketError(error('EACCES'), unix, plain).message).toMatch(/-a mask/);
  });

  it('keeps other system errors as they are (they name the address already)', () => {
    const refused = error('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:11211');
    const described = describeSocketError(refused, tcp, { secure: false, ready: false });
    expect(described.cause).toBe(refused);
    expect(described.message).toBe('memcached connection failed: connect ECONNREFUSED 10.0.0.1:11211');
    // A reset after the handshake is an ordinary reset.
    expect(describeSocketError(error('ECONNRESET'), tcp, { secure: true, ready: true }).cause).toHaveProperty(
      'message',
      'boom',
    );
  });
});
