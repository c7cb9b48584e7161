import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM file made for one test run: its path (for memcached's `-o ssl_*`) and its text (for the client). */
export interface PemFile {
  readonly path: string;
  readonly pem: string;
}

/** A throwaway PKI: made with the `openssl` command at run time, so nothing secret is committed. */
export interface TestCertificates {
  /** The folder holding every file; `remove()` deletes it. */
  readonly dir: string;
  /** The CA that signed the server and client certificates. */
  readonly ca: PemFile;
  /** Another CA, which signed nothing here: trusting only it must refuse the server. */
  readonly otherCa: PemFile;
  /** The server's certificate, for `localhost` and `127.0.0.1`, and its key. */
  readonly serverCert: PemFile;
  readonly serverKey: PemFile;
  /** A client certificate (`extendedKeyUsage=clientAuth`) signed by `ca`, its key in clear, and the same key encrypted with `passphrase`. */
  readonly clientCert: PemFile;
  readonly clientKey: PemFile;
  readonly clientKeyEncrypted: PemFile;
  /** Random per run. */
  readonly passphrase: string;
  remove(): void;
}

/**
 * Makes a CA, a server certificate (SAN `DNS:localhost, IP:127.0.0.1`), a client certificate and a
 * second, unrelated CA, with `openssl` (Debian package openssl), in a new temporary folder. EC
 * P-256 keys: fast to make. The files are world-readable because memcached, started as root,
 * drops to `nobody` before it reads them; they protect nothing.
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'rm-tls-'));
  chmodSync(dir, 0o755);
  const file = (name: string) => join(dir, name);
  const passphrase = randomBytes(12).toString('base64url');
  try {
    const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl([
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=rm-test-ca',
    ]);
    openssl([
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      file('other-ca.key'),
      '-out',
      file('other-ca.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=rm-other-ca',
    ]);
    const sign = (name: string, subject: string, extensions: string) => {
      writeFileSync(file(`${name}.ext`), extensions);
      openssl(['req', ...newKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject]);
      openssl([
        'x509',
        '-req',
        '-in',
        file(`${name}.csr`),
        '-CA',
        file('ca.crt'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-out',
        file(`${name}.crt`),
        '-days',
        '2',
        '-extfile',
        file(`${name}.ext`),
      ]);
    };
    sign('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    sign('client', '/CN=rm-test-client', 'extendedKeyUsage=clientAuth\n');
    openssl([
      'pkey',
      '-in',
      file('client.key'),
      '-aes256',
      '-passout',
      `pass:${passphrase}`,
      '-out',
      file('client.enc.key'),
    ]);
    for (const name of [
      'ca.crt',
      'other-ca.crt',
      'server.crt',
      'server.key',
      'client.crt',
      'client.key',
      'client.enc.key',
    ]) {
      chmodSync(file(name), 0o644);
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const pem = (name: string): PemFile => ({ path: file(name), pem: readFileSync(file(name), 'utf8') });
  return {
    dir,
    ca: pem('ca.crt'),
    otherCa: pem('other-ca.crt'),
    serverCert: pem('server.crt'),
    serverKey: pem('server.key'),
    clientCert: pem('client.crt'),
    clientKey: pem('client.key'),
    clientKeyEncrypted: pem('client.enc.key'),
    passphrase,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function openssl(args: string[]): void {
  const made = spawnSync('openssl', args, { encoding: 'utf8' });
  if (made.error || made.status !== 0) {
    // The arguments hold the passphrase once: name the subcommand only.
    throw new Error(
      `openssl ${args[0]} failed (is openssl installed? npm test installs it): ${made.error?.message ?? made.stderr}`,
    );
  }
}
