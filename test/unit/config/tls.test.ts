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

  it('refuses a ca that holds no certificate, or one that does not parse, without echoing it', () => {
    const corrupt = `-----BEGIN CERTIFICATE-----\n${SECRET_MARK}AAAA\n-----END CERTIFICATE-----\n`;
    const cases: unknown[] = [
      `not a pem ${SECRET_MARK}`,
      Buffer.from(`junk ${SECRET_MARK}`),
      [certs.ca.pem, `nothing here ${SECRET_MARK}`],
      certs.ca.pem + corrupt,
      certs.ca.pem.replace(/\n[A-Za-z0-9+/]{20}/, `\n${SECRET_MARK}`),
    ];
    for (const ca of cases) {
      const err = optionError({ ca });
      expect(err.option).toBe('tls.ca');
      expect(err.message).toMatch(/PEM certificates/);
      expect(`${err.message}\n${err.stack}`).not.toContain(SECRET_MARK);
      expect(err.message).not.toContain('MII');
    }
    // createClient's own check: no client is made that would fail every call.
    expect(() => resolveOptions({ servers: 'a:1', tls: { ca: 'not a pem' } })).toThrow(/tls\.ca/);
  });

  it('takes a ca bundle with text between its certificates, and a list of them', () => {
    const bundle = `# the test CA\n${certs.ca.pem}\n# another\n${certs.otherCa.pem}`;
    expect(resolveTls({ ca: bundle })?.rejectUnauthorized).toBe(true);
    expect(resolveTls({ ca: [Buffer.from(certs.ca.pem), certs.otherCa.pem] })?.rejectUnauthorized).toBe(true);
  });

  it.each([
    ['ca', { ca: certs.ca.path }, certs.ca.path],
    ['ca', { ca: ['./certs/ca.pem'] }, './certs/ca.pem'],
    ['cert', { cert: 'client.crt', key: certs.clientKey.pem }, 'client.crt'],
    ['key', { cert: certs.clientCert.pem, key: 'C:\\certs\\client.key' }, 'C:\\certs\\client.key'],
  ])('says a %s that looks like a file path is a path, and shows it', (name, tls, path) => {
    const err = optionError(tls);
    expect(err.option).toBe(`tls.${name}`);
    expect(err.message).toContain(JSON.stringify(path));
    expect(err.message).toContain('not a file path');
  });

  it('names the likely field of a misspelt one', () => {
    const err = optionError({ rejectUnauthorised: false });
    expect(err.option).toBe('tls.rejectUnauthorised');
    expect(err.message).toContain('did you mean rejectUnauthorized?');
  });

  it('reads each field once: a getter cannot pass the check and load something else', () => {
    let reads = 0;
    const tls = {
      get ca() {
        reads++;
        return reads === 1 ? certs.ca.pem : 'not a pem';
      },
    };
    const resolved = resolveTls(tls);
    expect(reads).toBe(1);
    expect(resolved?.rejectUnauthorized).toBe(true);
  });
});
