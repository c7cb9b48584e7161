import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { CommonClientOptions } from '../../src/config/ClientOptions';
import type { ServerList } from '../../src/config/parseServers';
import { type MemcachedProcess, type MemcachedTls, startBlackHole, startMemcached } from '../../src/testing/memcached';
import { makeTestCertificates } from '../../src/testing/tlsCertificates';
import { activeResources, waitForResourcesAtBaseline } from '../support/activeResources';
import { expectEveryCommandCovered, ROUND_TRIPS } from '../support/commandRoundTrips';
import { guardProcess } from '../support/processGuard';
import { waitForState } from '../support/waitForState';

// TLS against real memcached processes started with -Z and a throwaway PKI made by openssl at run
// time. Refusals (CA, host name, client certificate, a silent handshake) must be connection
// failures: counted toward healing, settled in time, and worded so the operator knows which.

const certs = makeTestCertificates();
const serverTls: MemcachedTls = { chainCert: certs.serverCert.path, key: certs.serverKey.path };
// ssl_verify_mode=3: a client certificate is required, and verified against ssl_ca_cert.
const mutualTls: MemcachedTls = { ...serverTls, caCert: certs.ca.path, verifyMode: 3 };
const FAST = { timeoutMs: 1000, allowedFailuresBeforeHealing: 2, recoveryDelayMs: 20, maxRecoveryDelayMs: 40 };

let tlsServer: MemcachedProcess;
let mutualServer: MemcachedProcess;
const guard = guardProcess();
const clients: Client[] = [];
function client(options: Partial<CommonClientOptions> & { servers: ServerList }): Client {
  const cache = createClient({ ...FAST, ...options });
  clients.push(cache);
  return cache;
}

beforeAll(async () => {
  [tlsServer, mutualServer] = await Promise.all([
    startMemcached({ tls: serverTls }),
    startMemcached({ tls: mutualTls }),
  ]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((cache) => cache.close()));
});
afterAll(async () => {
  guard.dispose();
  await Promise.all([tlsServer.stop(), mutualServer.stop()]);
  certs.remove();
  expect(guard.errors).toEqual([]);
});

describe('TLS: every command round-trips', () => {
  it('the round trips cover every command of the client', () => {
    expectEveryCommandCovered();
  });

  it.each(Object.keys(ROUND_TRIPS))('%s over TLS', async (command) => {
    const cache = client({ servers: [tlsServer.address], tls: { ca: certs.ca.pem } });
    await ROUND_TRIPS[command]!(cache, `tls:${command}`);
    expect(cache.servers()[0]).toMatchObject({ state: 'connected', failures: 0 });
  });

  it.each(Object.keys(ROUND_TRIPS))(
    '%s over mutual TLS (ssl_verify_mode=3), the client key encrypted',
    async (command) => {
      const cache = client({
        servers: [mutualServer.address],
        tls: {
          ca: certs.ca.pem,
          cert: certs.clientCert.pem,
          key: certs.clientKeyEncrypted.pem,
          passphrase: certs.passphrase,
        },
      });
      await ROUND_TRIPS[command]!(cache, `mtls:${command}`);
    },
  );
});

describe('TLS: refusals are connection failures that say what failed', () => {
  async function expectRefused(options: Partial<CommonClientOptions>, server: MemcachedProcess, wording: RegExp) {
    const cache = client({ servers: [server.address], ...options });
    const results = [await cache.get('k'), await cache.get('k')];
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
      expect(result.ok || result.error?.message).toMatch(wording);
    }
    // Counted: two failures reach allowedFailuresBeforeHealing.
    expect(cache.state).toBe('reconnecting');
    expect(cache.servers()[0]?.failures).toBeGreaterThanOrEqual(2);
  }

  it('a server whose CA is not trusted', async () => {
    await expectRefused(
      { tls: { ca: certs.otherCa.pem } },
      tlsServer,
      /certificate of 127\.0\.0\.1:\d+ is not trusted/,
    );
  });

  it('tls: true (the system CAs) does not trust a private CA either', async () => {
    await expectRefused({ tls: true }, tlsServer, /not trusted/);
  });

  it('a certificate for another host name', async () => {
    await expectRefused(
      { tls: { ca: certs.ca.pem, servername: 'memcached.example' } },
      tlsServer,
      /not valid for that host name.*memcached\.example/,
    );
  });

  it('mutual TLS without a client certificate', async () => {
    await expectRefused({ tls: { ca: certs.ca.pem } }, mutualServer, /refused the client certificate, or wants one/);
  });

  it('mutual TLS with a client certificate from a CA the server does not trust', async () => {
    const other = makeTestCertificates();
    try {
      await expectRefused(
        { tls: { ca: certs.ca.pem, cert: other.clientCert.pem, key: other.clientKey.pem } },
        mutualServer,
        /refused the client certificate/,
      );
    } finally {
      other.remove();
    }
  });

  it('honours checkServerIdentity and minVersion', async () => {
    const seen: string[] = [];
    const cache = client({
      servers: [tlsServer.address],
      // The CA is still checked; only the host name check is replaced.
      tls: {
        ca: certs.ca.pem,
        servername: 'memcached.example',
        minVersion: 'TLSv1.3',
        checkServerIdentity: (host) => void seen.push(host),
      },
    });
    await ROUND_TRIPS.ping!(cache, 'k');
    expect(seen).toEqual(['memcached.example']);
  });

  it('checking turned off explicitly accepts the unknown CA', async () => {
    const cache = client({ servers: [tlsServer.address], tls: { rejectUnauthorized: false } });
    await ROUND_TRIPS.ping!(cache, 'k');
  });

  it('a peer that accepts TCP and never answers the handshake settles within connectTimeoutMs', async () => {
    const hole = await startBlackHole();
    try {
      // A call deadline far above the connect deadline: the handshake's own deadline must settle it.
      const cache = client({
        servers: [hole.address],
        tls: { ca: certs.ca.pem },
        timeoutMs: 5000,
        connectTimeoutMs: 300,
      });
      const started = performance.now();
      const result = await cache.get('k');
      const elapsed = performance.now() - started;
      expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
      expect(result.ok || result.error?.message).toMatch(
        /TLS handshake with 127\.0\.0\.1:\d+ did not finish within 300 ms/,
      );
      // Not early: the handshake's timer starts after `started`, and load only makes it fire later
      // (the margin is the timers' millisecond clock). Well before the 5 s call deadline.
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(4000);
      expect(cache.servers()[0]?.failures).toBe(1);
    } finally {
      await hole.close();
    }
  });
});

describe('TLS: close()', () => {
  it('leaves no socket or timer behind, from a connected client or one mid-handshake', async () => {
    const hole = await startBlackHole();
    try {
      const baseline = activeResources();
      const tls = { ca: certs.ca.pem };
      const connected = createClient({ ...FAST, servers: [tlsServer.address], tls });
      await ROUND_TRIPS.ping!(connected, 'k');
      const handshaking = createClient({
        ...FAST,
        servers: [hole.address],
        tls,
        timeoutMs: 5000,
        connectTimeoutMs: 5000,
      });
      const pending = handshaking.get('k');
      await Promise.all([connected.close(), handshaking.close()]);
      expect(await pending).toMatchObject({ ok: false, reason: 'closed' });
      await waitForResourcesAtBaseline(baseline);
    } finally {
      await hole.close();
    }
  });
});

describe('TLS: healing', () => {
  it('memcached killed and restarted with TLS on the same port heals by itself', async () => {
    const server = await startMemcached({ tls: serverTls });
    const tls = { ca: certs.ca.pem };
    const cache = client({ servers: [server.address], tls });
    expect(await cache.set({ key: 'before', value: '1' })).toBe(true);
    await server.stop();
    // Two counted failures start healing; the probes fail while it is down.
    for (let i = 0; i < 2; i++) expect(await cache.get('before')).toMatchObject({ ok: false });
    await waitForState(cache, 'reconnecting');
    const restarted = await startMemcached({ port: server.port, tls: serverTls });
    try {
      await waitForState(cache, 'connected');
      expect(await cache.set({ key: 'after', value: '2' })).toBe(true);
      expect(await cache.get('after')).toMatchObject({ ok: true, item: { value: Buffer.from('2') } });
    } finally {
      await restarted.stop();
    }
  });
});
