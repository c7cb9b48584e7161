import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/config/options';
import { resolveTls } from '../../../src/config/tls';
import { InvalidOptionError } from '../../../src/core/errors';
import { makeTestCertificates } from '../../../src/testing/tlsCertificates';

const certs = makeTestCertificates();
afterAll(() => certs.remove());
const SECRET_MARK = 'S3CRET-NOT-A-KEY';

function optionError(tls: unknown): InvalidOptionError {
  try {
    resolveTls(tls);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return err as InvalidOptionError;
  }
  throw new Error(`resolveTls accepted ${String(tls)}`);
}

describe('the tls option', () => {
  it('is off by default and with false; true is on with certificate checking', () => {
    expect(resolveOptions({ servers: 'a:1' }).tls).toBeUndefined();
    expect(resolveTls(false)).toBeUndefined();
    expect(resolveTls(true)).toMatchObject({ rejectUnauthorized: true, servername: undefined });
  });

  it('checks certificates unless rejectUnauthorized: false says not to', () => {
    expect(resolveTls({ ca: certs.ca.pem })?.rejectUnauthorized).toBe(true);
    expect(resolveTls({ rejectUnauthorized: false })?.rejectUnauthorized).toBe(false);
  });

  it('loads ca, cert and an encrypted key with its passphrase once, and keeps none of them', () => {
    const tls = resolveTls({
      ca: [certs.ca.pem],
      cert: Buffer.from(certs.clientCert.pem),
      key: certs.clientKeyEncrypted.pem,
      passphrase: certs.passphrase,
      servername: 'localhost',
      minVersion: 'TLSv1.3',
    });
    expect(Object.keys(tls ?? {}).sort()).toEqual([
      'checkServerIdentity',
      'rejectUnauthorized',
      'secureContext',
      'servername',
    ]);
    expect(JSON.stringify(tls)).not.toContain(certs.passphrase);
  });

  it('names the option and what it expects for each bad value', () => {
    expect(optionError('yes').option).toBe('tls');
    expect(optionError({ rejectUnauthorised: false }).message).toContain('rejectUnauthorised');
    expect(optionError({ rejectUnauthorized: 'no' }).option).toBe('tls.rejectUnauthorized');
    expect(optionError({ servername: '' }).option).toBe('tls.servername');
    expect(optionError({ minVersion: 'SSLv3' }).message).toContain("'TLSv1.3'");
    expect(optionError({ checkServerIdentity: 'x' }).option).toBe('tls.checkServerIdentity');
    expect(optionError({ cert: certs.clientCert.pem }).message).toContain('both `cert` and `key`');
  });

  it('never echoes a certificate, a key or a passphrase it refuses', () => {
    const errors = [
      optionError({ ca: 42 }),
      optionError({ key: [`${SECRET_MARK}`, 3], cert: certs.clientCert.pem }),
      optionError({ passphrase: { toString: () => SECRET_MARK } }),
      optionError({ cert: `-----BEGIN CERTIFICATE-----\n${SECRET_MARK}\n`, key: SECRET_MARK }),
      // A wrong passphrase: OpenSSL's code, not its message nor the key.
      optionError({ cert: certs.clientCert.pem, key: certs.clientKeyEncrypted.pem, passphrase: SECRET_MARK }),
    ];
    for (const err of errors) {
      expect(`${err.message}\n${err.stack}`).not.toContain(SECRET_MARK);
      expect(err.message).not.toContain('PRIVATE KEY');
    }
    expect(errors[4]!.message).toMatch(/Node could not load them: ERR_OSSL_\w+/);
  });
});
