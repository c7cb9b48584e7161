import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { Client } from '../../src/api/Client';
import { createClient } from '../../src/client/createClient';
import type { ClientOptions } from '../../src/config/options';
import { ConnectionError, CredentialsNotRequiredError, InvalidOptionError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { startAuthFileMemcached } from '../../src/testing/authFileMemcached';
import { type MemcachedProcess, startMemcached } from '../../src/testing/memcached';
import { startSaslMemcached } from '../../src/testing/saslMemcached';
import { exposeAll } from '../support/exposeAll';
import { textGet, textStats } from '../support/memcachedText';
import { guardProcess } from '../support/processGuard';
import { LINE_PROTOCOL, PROTOCOL } from '../support/protocol';

// Credentials against a real memcached: with the binary protocol SASL (-S, its own password
// database), with meta the auth file (-Y: the text protocol has no SASL). The password must
// never show in anything the library hands out: logs, errors (messages, causes, stacks), subscribe
// payloads, the actor's snapshots, inspection events, option-validation errors. Everything is
// captured and turned into text every way a user might print it, then searched.

const USER = 'alice';
// With the characters that make parsing hard: `@` and `:` inside the password.
const PASSWORD = 'Pa55:w@rd-XyZZy-7731';
const WRONG = 'Wr0ng:p@ss-QuuX-4410';

/** A client that records everything it emits, for the grep. */
function capturingClient(servers: string[], extra: Partial<ClientOptions> = {}) {
  const emitted: unknown[] = [];
  const logger: Logger = {
    error: (...args: unknown[]) => emitted.push(['error', ...args]),
    warn: (...args: unknown[]) => emitted.push(['warn', ...args]),
    info: (...args: unknown[]) => emitted.push(['info', ...args]),
    debug: (...args: unknown[]) => emitted.push(['debug', ...args]),
  };
  const cache = createClient({
    servers,
    timeoutMs: 500,
    allowedFailuresBeforeHealing: 2,
    recoveryDelayMs: 20,
    maxRecoveryDelayMs: 40,
    logger,
    // Inspection events hold actor refs (cyclic and huge): keep their printed form, shallow.
    inspect: (event) => emitted.push(inspect(event, { depth: 3 })),
    ...extra,
  });
  cache.subscribe((change) => emitted.push(change));
  return { cache, emitted };
}

function dumpOf(cache: Client, emitted: unknown[]): string {
  const snapshot = cache.connectionActor().getSnapshot();
  return [
    exposeAll(emitted),
    exposeAll(snapshot),
    JSON.stringify(snapshot),
    JSON.stringify(cache.connectionActor().getPersistedSnapshot()),
    JSON.stringify(cache.actor.getPersistedSnapshot()),
    JSON.stringify(cache.servers()),
    exposeAll(cache),
    String(cache.connectionActor().getSnapshot().context),
  ].join('\n');
}

function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    // Whole, and each side of its `@` and `:`: a parser that split it would leak the pieces.
    for (const piece of [secret, ...secret.split(/[@:]/).filter((p) => p.length >= 4)]) {
      expect(text.includes(piece), `"${piece}" appears in what the client emitted`).toBe(false);
    }
  }
}

let server: MemcachedProcess;
const guard = guardProcess();

beforeAll(async () => {
  server = await (LINE_PROTOCOL ? startAuthFileMemcached : startSaslMemcached)(USER, PASSWORD);
});

afterAll(async () => {
  guard.dispose();
  await server.stop();
  expect(guard.errors).toEqual([]);
});

describe(`credentials (${PROTOCOL}): ${LINE_PROTOCOL ? 'auth file, memcached -Y' : 'SASL, memcached -S'}`, () => {
  it('the right password works, and the password appears nowhere', async () => {
    const { cache, emitted } = capturingClient([`${USER}:${PASSWORD}@${server.address}`]);
    expect(await cache.set({ key: 'sasl', value: 'secret-data', flags: 3 })).toBe(true);
    expect(await cache.get('sasl')).toEqual({
      ok: true,
      item: { key: 'sasl', value: Buffer.from('secret-data'), flags: 3 },
    });
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(cache.state).toBe('connected');
    await cache.close();
    const dump = dumpOf(cache, emitted);
    expect(dump).toContain('closed'); // the capture did see the close
    expectNoSecret(dump, PASSWORD);
  });

  it('without credentials memcached refuses: not-ok, counted as a connection failure', async () => {
    const { cache, emitted } = capturingClient([server.address]);
    const result = await cache.get('sasl');
    expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
    await cache.close();
    expectNoSecret(dumpOf(cache, emitted), PASSWORD);
  });

  it('a wrong password answers not-ok (a connection failure), probes keep failing, neither password leaks', async () => {
    const { cache, emitted } = capturingClient([`${USER}:${WRONG}@${server.address}`]);
    const results = [await cache.get('sasl'), await cache.get('sasl')];
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CONNECTION' } });
      expect(result.ok || String(result.error?.message)).toContain('authentication failed');
    }
    // Two failures reach the limit: healing starts, and the probes fail on authentication too.
    expect(cache.state).toBe('reconnecting');
    const pingError = await cache.ping().catch((err: unknown) => err);
    expect(pingError).toMatchObject({ code: 'ERR_CONNECTION_DOWN' });
    await waitFor(cache.connectionActor(), (s) => s.context.attempt >= 2, { timeout: 5000 });
    await cache.close();

    const dump = `${dumpOf(cache, emitted)}\n${exposeAll(results)}\n${exposeAll(pingError)}`;
    // The capture saw the failures and the state changes it is searched for.
    expect(dump).toContain('authentication failed');
    expect(dump).toContain('reconnecting');
    expect(dump).toContain('memcached connection down'); // the logger
    expect(dump).toContain('@xstate.event'); // the inspection events
    expectNoSecret(dump, WRONG, PASSWORD);
  });

  it('option-validation errors never echo a password, even a password that breaks parsing', () => {
    // Passwords with `,` split a comma-separated `servers` string into pieces that fail to parse;
    // each piece could be echoed back. Markers keep the pieces from matching ordinary text.
    const piece = fc.string({ minLength: 4, maxLength: 12, unit: 'grapheme-ascii' }).map((s) => `Q${s}Z`);
    const password = fc
      .tuple(piece, fc.constantFrom('', ',', '@', ':', ' '), piece)
      .map(([a, sep, b]) => `${a}${sep}${b}`);
    const malformed = (pw: string) => [
      `${USER}:${pw}@127.0.0.1:notaport`,
      `${USER}:${pw}@`,
      `:${pw}@127.0.0.1:11211`,
      `${USER}:${pw}@127.0.0.1:99999`,
      `${USER}:${pw}@127.0.0.1:11211,`,
      `127.0.0.1:11211,${USER}:${pw}@host/with/slash:1`,
    ];
    fc.assert(
      fc.property(password, fc.nat(5), fc.boolean(), (pw, which, asArray) => {
        const text = malformed(pw)[which]!;
        let thrown: unknown;
        try {
          createClient({ servers: asArray ? [text] : text });
        } catch (err) {
          thrown = err;
        }
        if (thrown === undefined) return; // it parsed (e.g. the password held the bad part): no error to leak
        expect(thrown).toBeInstanceOf(InvalidOptionError);
        expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION', option: 'servers' });
        const dump = exposeAll(thrown);
        for (const secret of [pw, ...pw.split(/[,@: ]/)].filter((s) => s.length >= 4)) {
          expect(dump.includes(secret), `"${secret}" in ${(thrown as Error).message}`).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an invalid other option names that option and nothing of the servers', () => {
    let thrown: unknown;
    try {
      createClient({ servers: `${USER}:${PASSWORD}@127.0.0.1:11211`, timeoutMs: -1 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION', option: 'timeoutMs' });
    expectNoSecret(exposeAll(thrown), PASSWORD);
  });
});

// memcached without an auth file stores the text protocol's auth `set` as an ordinary item: sending
// the credentials there would publish them to every client of that server. Over binary, memjs
// sends SASL only when memcached asks for it, so a server without -S never sees them.
describe(`credentials (${PROTOCOL}), to a memcached that does not ask for them`, () => {
  it('are never sent: no `_auth` item, nothing stored, the password nowhere; over meta and text, calls fail with a typed error naming the server', async () => {
    const open = await startMemcached();
    try {
      const { cache, emitted } = capturingClient([`${USER}:${PASSWORD}@${open.address}`]);
      const got = await cache.get('k');
      if (LINE_PROTOCOL) {
        expect(got).toMatchObject({ ok: false, reason: 'connection', error: { code: 'ERR_CREDENTIALS_NOT_REQUIRED' } });
        const error = (got as { error?: unknown }).error;
        expect(error).toBeInstanceOf(CredentialsNotRequiredError);
        expect(error).toBeInstanceOf(ConnectionError);
        expect(String((error as Error).message)).toContain(`${open.address} does not require authentication`);
      } else {
        expect(got).toEqual({ ok: true, item: undefined });
      }
      await cache.close();

      expect(await textGet(open.port, '_auth')).toBeUndefined();
      const stats = await textStats(open.port);
      expect(stats.cmd_set).toBe(0);
      expect(stats.curr_items).toBe(0);
      expectNoSecret(`${dumpOf(cache, emitted)}\n${exposeAll(got)}`, PASSWORD);
    } finally {
      await open.stop();
    }
  });
});
