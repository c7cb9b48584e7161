import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { ClientOptions } from '../../src/config/options';
import type { Logger } from '../../src/core/logger';
import { serializeFrame } from '../../src/inspect/serializeFrame';
import { startAuthFileMemcached } from '../../src/testing/authFileMemcached';
import { type MemcachedProcess, type MemcachedTls, tempSocketPath } from '../../src/testing/memcached';
import { startSaslMemcached } from '../../src/testing/saslMemcached';
import { makeTestCertificates } from '../../src/testing/tlsCertificates';
import { exposeAll } from '../support/exposeAll';
import { guardProcess } from '../support/processGuard';
import { LINE_PROTOCOL } from '../support/protocol';

// SASL over mutual TLS and over a UNIX socket, against real memcached (-S with -Z, -S with -s);
// and the secrets of both (password, client key, its passphrase) searched for in everything the
// client hands out: results and errors, logs, subscribe payloads, servers(), snapshots, inspection
// events and the inspector's serialized frames.

const USER = 'bob';
const PASSWORD = 'Tl5:p@ss-QuuX-8812';
const WRONG = 'Wr0ng:p@ss-Zorp-1177';
const certs = makeTestCertificates();
const mutualTls: MemcachedTls = {
  chainCert: certs.serverCert.path,
  key: certs.serverKey.path,
  caCert: certs.ca.path,
  verifyMode: 3,
};
const clientTls = {
  ca: certs.ca.pem,
  cert: certs.clientCert.pem,
  key: certs.clientKeyEncrypted.pem,
  passphrase: certs.passphrase,
};
const FAST = { timeoutMs: 1000, allowedFailuresBeforeHealing: 2, recoveryDelayMs: 20, maxRecoveryDelayMs: 40 };

// Each key's body lines (base64 of key material), its passphrase, the password and its pieces.
const SECRETS = [
  PASSWORD,
  WRONG,
  ...[PASSWORD, WRONG].flatMap((p) => p.split(/[@:]/)).filter((p) => p.length >= 4),
  certs.passphrase,
  ...[certs.clientKey.pem, certs.clientKeyEncrypted.pem, certs.serverKey.pem]
    .flatMap((pem) => pem.split('\n'))
    .filter((line) => line.length >= 16 && !line.startsWith('-----')),
  'PRIVATE KEY',
];

let tlsServer: MemcachedProcess & { dir: string };
let unixServer: MemcachedProcess & { dir: string };
let unixPath: string;
const guard = guardProcess();

beforeAll(async () => {
  unixPath = tempSocketPath();
  // Over meta, credentials go to memcached's auth file (-Y): the text protocol has no SASL.
  const start = LINE_PROTOCOL ? startAuthFileMemcached : startSaslMemcached;
  [tlsServer, unixServer] = await Promise.all([
    start(USER, PASSWORD, { tls: mutualTls }),
    start(USER, PASSWORD, { unixSocket: unixPath }),
  ]);
});
afterAll(async () => {
  guard.dispose();
  await Promise.all([tlsServer.stop(), unixServer.stop()]);
  rmSync(dirname(unixPath), { recursive: true, force: true });
  certs.remove();
  expect(guard.errors).toEqual([]);
});

/** A client that records what it emits: logs, subscribe payloads, inspection events and frames. */
function capturingClient(servers: string[], extra: Partial<ClientOptions> = {}) {
  const emitted: unknown[] = [];
  const log =
    (level: string) =>
    (...args: unknown[]) =>
      emitted.push([level, ...args]);
  const logger: Logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
  const cache = createClient({
    servers,
    ...FAST,
    logger,
    inspect: (event) => emitted.push(inspect(event, { depth: 3 }), serializeFrame(event, [])),
    ...extra,
  });
  cache.subscribe((change) => emitted.push(change));
  return { cache, emitted };
}

function everything(cache: Client, emitted: unknown[], results: unknown[]): string {
  return [
    exposeAll(emitted),
    exposeAll(results),
    exposeAll(cache.servers()),
    JSON.stringify(cache.actor.getPersistedSnapshot()),
    exposeAll(cache.connectionActor().getSnapshot()),
    exposeAll(cache),
  ].join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS)
    expect(text.includes(secret), `"${secret}" appears in what the client emitted`).toBe(false);
}

describe(`${LINE_PROTOCOL ? 'auth file (-Y)' : 'SASL'} over TLS and over a UNIX socket`, () => {
  it.each([
    ['mutual TLS', () => `${USER}:${PASSWORD}@${tlsServer.address}`],
    ['a UNIX socket', () => `${USER}:${PASSWORD}@${unixPath}`],
  ])('the right password works over %s, and no secret appears anywhere', async (_, address) => {
    const { cache, emitted } = capturingClient([address()], { tls: clientTls });
    const results: unknown[] = [];
    expect(await cache.set({ key: 'sasl', value: 'data', flags: 1 })).toBe(true);
    results.push(await cache.get('sasl'), await cache.getMulti(['sasl', 'other']));
    expect(results[0]).toEqual({ ok: true, item: { key: 'sasl', value: Buffer.from('data'), flags: 1 } });
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(await cache.delete('sasl')).toBe(true);
    await cache.close();
    const text = everything(cache, emitted, results);
    expect(text).toContain('closed'); // the capture saw the close
    expectNoSecret(text);
  });

  it.each([
    [
      'a wrong password over mutual TLS',
      () => [`${USER}:${WRONG}@${tlsServer.address}`, clientTls],
      /authentication failed/,
    ],
    ['a wrong password over a UNIX socket', () => [`${USER}:${WRONG}@${unixPath}`, clientTls], /authentication failed/],
    [
      'no client certificate',
      () => [`${USER}:${PASSWORD}@${tlsServer.address}`, { ca: certs.ca.pem }],
      /client certificate/,
    ],
    [
      'an untrusted server',
      () => [`${USER}:${PASSWORD}@${tlsServer.address}`, { ...clientTls, ca: certs.otherCa.pem }],
      /not trusted/,
    ],
  ] as Array<[string, () => [string, ClientOptions['tls']], RegExp]>)(
    '%s is refused, counted, and no secret appears anywhere',
    async (_, setup, wording) => {
      const [address, tls] = setup();
      const { cache, emitted } = capturingClient([address], { tls });
      const results = [await cache.get('sasl'), await cache.get('sasl')];
      for (const result of results) {
        expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
        expect(result.ok || result.error?.message).toMatch(wording);
      }
      expect(cache.state).toBe('reconnecting');
      const pingError = await cache.ping().catch((err: unknown) => err);
      await cache.close();
      const text = everything(cache, emitted, [...results, pingError]);
      expect(text).toMatch(wording); // the capture holds the failure it is searched for
      expectNoSecret(text);
    },
  );
});
