import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portFactory } from '../../src/client/createClient';
import { type ClientOptions, resolveOptions } from '../../src/config/options';
import { parseServers } from '../../src/config/parseServers';
import type { MemcachedPort } from '../../src/port/MemcachedPort';
import {
  type MemcachedProcess,
  type StartMemcachedOptions,
  startMemcached,
  tempSocketPath,
} from '../../src/testing/memcached';
import { makeTestCertificates } from '../../src/testing/tlsCertificates';
import { PORT_ROUND_TRIPS, type PortRoundTrip } from '../support/portRoundTrips';
import { PROTOCOL } from '../support/protocol';

// Every command of the port (the adapter of the test project's protocol), over each transport the client can open: what the adapter
// builds and parses is the same bytes whatever carries them, and the transport must carry all of
// it (large values over many TLS records, pipelined quiet commands, stats' many answers).

const certs = makeTestCertificates();
const unixPath = tempSocketPath();
const serverTls = { chainCert: certs.serverCert.path, key: certs.serverKey.path };
const TRANSPORTS: ReadonlyArray<{ name: string; memcached: StartMemcachedOptions; tls?: ClientOptions['tls'] }> = [
  { name: 'TLS', memcached: { tls: serverTls }, tls: { ca: certs.ca.pem } },
  {
    name: 'mutual TLS (ssl_verify_mode=3)',
    memcached: { tls: { ...serverTls, caCert: certs.ca.path, verifyMode: 3 } },
    tls: { ca: certs.ca.pem, cert: certs.clientCert.pem, key: certs.clientKey.pem },
  },
  { name: 'a UNIX socket', memcached: { unixSocket: unixPath } },
];

afterAll(() => {
  rmSync(dirname(unixPath), { recursive: true, force: true });
  certs.remove();
});

describe.each(TRANSPORTS)(`${PROTOCOL} port over $name`, ({ memcached: how, tls }) => {
  let memcached: MemcachedProcess;
  let port: MemcachedPort;
  beforeAll(async () => {
    memcached = await startMemcached(how);
    const options = resolveOptions({ servers: memcached.address, timeoutMs: 2000, connectTimeoutMs: 2000, tls });
    port = portFactory(options)(parseServers([memcached.address])[0]!);
  });
  afterAll(async () => {
    port.close();
    await memcached.stop();
  });

  it.each(Object.keys(PORT_ROUND_TRIPS))('%s', async (method) => {
    await (PORT_ROUND_TRIPS as Record<string, PortRoundTrip>)[method]!(port, `transport:${method}`);
  });

  it('close fails a call in flight with a ConnectionError', async () => {
    const pending = port.get('transport:close');
    port.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CONNECTION' });
  });
});
