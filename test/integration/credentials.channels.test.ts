import diagnosticsChannel from 'node:diagnostics_channel';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/createClient';
import { COMMAND_CHANNEL, STATE_CHANNEL } from '../../src/core/channels';
import { startOpenTelemetry } from '../../src/otel';
import { startAuthFileMemcached } from '../../src/testing/authFileMemcached';
import type { MemcachedProcess } from '../../src/testing/memcached';
import { startSaslMemcached } from '../../src/testing/saslMemcached';
import { exposeAll } from '../support/exposeAll';
import { PROTOCOL } from '../support/protocol';

// Credentials and what the client publishes beyond its own API: the diagnostics channels (command
// and state) and the OpenTelemetry spans built from them carry no password, right or wrong; and
// only credentials given in `servers` are sent (memjs would also read them from the environment).

const USER = 'alice';
const PASSWORD = 'Pa55:w@rd-Chan-5521';
const WRONG = 'Wr0ng:p@ss-Chan-9932';
const OPTIONS = { timeoutMs: 2000, allowedFailuresBeforeHealing: 2, recoveryDelayMs: 20, maxRecoveryDelayMs: 40 };

let server: MemcachedProcess;
beforeAll(async () => {
  server = await (PROTOCOL === 'meta' ? startAuthFileMemcached : startSaslMemcached)(USER, PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    for (const piece of [secret, ...secret.split(/[@:]/).filter((p) => p.length >= 4)]) {
      expect(text.includes(piece), `"${piece}" appears in what the client published`).toBe(false);
    }
  }
}

describe(`credentials (${PROTOCOL}) and what the client publishes`, () => {
  it('the command and state channels and the OpenTelemetry spans carry no password, right or wrong', async () => {
    const published: unknown[] = [];
    const onState = (message: unknown) => void published.push(message);
    const record = (context: unknown) => void published.push(exposeAll(context));
    const handlers = { start: record, end: record, asyncStart: record, asyncEnd: record, error: record };
    const commands = diagnosticsChannel.tracingChannel(COMMAND_CHANNEL);
    diagnosticsChannel.subscribe(STATE_CHANNEL, onState);
    commands.subscribe(handlers);
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const instrumentation = startOpenTelemetry({ tracerProvider });
    try {
      for (const password of [PASSWORD, WRONG]) {
        const cache = createClient({ servers: [`${USER}:${password}@${server.address}`], ...OPTIONS });
        await cache.set({ key: 'channels', value: 'v' });
        await cache.get('channels');
        await cache.get('channels');
        await cache.close();
      }
    } finally {
      instrumentation.stop();
      commands.unsubscribe(handlers);
      diagnosticsChannel.unsubscribe(STATE_CHANNEL, onState);
    }
    const finished = spans.getFinishedSpans();
    const text = `${exposeAll(published)}\n${exposeAll(
      finished.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    )}`;
    // The capture saw both the calls that worked and the refused ones it is searched for.
    expect(finished.length).toBeGreaterThanOrEqual(6);
    expect(text).toContain('reconnecting');
    expect(text).toContain('authentication failed');
    expect(text).toContain(server.address);
    expectNoSecret(text, PASSWORD, WRONG);
  });

  it('credentials in the MEMCACHIER_* and MEMCACHE_* variables are not sent', async () => {
    const names = ['MEMCACHIER_USERNAME', 'MEMCACHIER_PASSWORD', 'MEMCACHE_USERNAME', 'MEMCACHE_PASSWORD'];
    const saved = names.map((name) => process.env[name]);
    process.env.MEMCACHIER_USERNAME = USER;
    process.env.MEMCACHIER_PASSWORD = PASSWORD;
    process.env.MEMCACHE_USERNAME = USER;
    process.env.MEMCACHE_PASSWORD = PASSWORD;
    const cache = createClient({ servers: [server.address], ...OPTIONS });
    try {
      expect(await cache.get('env')).toMatchObject({ ok: false, reason: 'connection' });
    } finally {
      await cache.close();
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name];
        else process.env[name] = saved[i];
      });
    }
  });
});
