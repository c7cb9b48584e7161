import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMemcached } from '../../src/testing/memcached';
import { brokenLinks } from '../support/markdownLinks';
import { packedConsumer } from '../support/packedConsumer';

const root = join(import.meta.dirname, '..', '..');
const consumer = packedConsumer();
const { run, typecheck } = consumer;

describe('the packed package', () => {
  it('loads with require() from CommonJS', () => {
    const out = run('node', [
      '-e',
      `const m = require('reconnecting-memcached');
       const c = m.createClient({ servers: '127.0.0.1:1' });
       console.log(typeof m.createClient, c.state, new m.InvalidKeyError('x').code);
       c.close();`,
    ]);
    expect(out.trim()).toBe('function connected ERR_INVALID_KEY');
  });

  it('loads with import from ESM', () => {
    const out = run('node', [
      '--input-type=module',
      '-e',
      `import { createClient, TimeoutError } from 'reconnecting-memcached';
       const c = createClient({ servers: ['127.0.0.1:1'] });
       console.log(typeof createClient, c.connectionAvailable(), new TimeoutError(5).code);
       await c.close();`,
    ]);
    expect(out.trim()).toBe('function true ERR_TIMEOUT');
  });

  it('ships types that resolve for both ESM and CommonJS consumers', () => {
    const source = `import { createClient, type GetResult } from 'reconnecting-memcached';
const cache = createClient({ servers: '127.0.0.1:11211', timeoutMs: 50 });
const check = async (): Promise<string> => {
  const r: GetResult = await cache.get('k');
  return r.ok ? String(r.item?.value.length) : r.reason;
};
// @ts-expect-error: an unknown option must not type-check
createClient({ servers: 'x', timeout: 5 });
export { check };
`;
    typecheck('main', source);
  }, 90_000);

  it('exports the fault kit as reconnecting-memcached/testing: every fault does to a client what its docs say', () => {
    copyFileSync(join(import.meta.dirname, 'consumer', 'faultKit.mjs'), join(consumer.dir, 'faultKit.mjs'));
    // The script also proves that the kit leaves nothing running: node exits once it is done.
    const report = JSON.parse(run('node', ['faultKit.mjs']));
    expect(report).toEqual({
      pass: 'hit',
      kill: ['connection', 'ECONNREFUSED'],
      restoreAfterKill: 'hit',
      refuse: ['connection', 'ECONNREFUSED'],
      blackHole: 'timeout',
      slow: 'timeout',
      trickle: 'hit',
      cut: 'connection',
      restore: ['hit', 'hit'],
      badArgument: 'RangeError',
      memcachedStopped: 'connection',
      memcachedRestarted: 'miss',
      startBlackHole: 'timeout',
    });
  });

  it('loads reconnecting-memcached/testing with require() too, with types for both', () => {
    const out = run('node', [
      '-e',
      `const t = require('reconnecting-memcached/testing');
       console.log(typeof t.FaultProxy.start, typeof t.startMemcached, typeof t.startBlackHole);`,
    ]);
    expect(out.trim()).toBe('function function function');
    const source = `import { FaultProxy, type FaultMode, type MemcachedProcess, startMemcached } from 'reconnecting-memcached/testing';
const check = async (): Promise<number> => {
  const memcached: MemcachedProcess = await startMemcached({ args: ['-m', '8'] });
  const proxy = await FaultProxy.start({ port: memcached.port });
  const mode: FaultMode = { kind: 'latency', ms: 5 };
  await proxy.setMode(mode);
  await proxy.slow(10);
  // @ts-expect-error: cut needs a byte count
  await proxy.cut();
  return proxy.port;
};
export { check };
`;
    typecheck('testing', source);
  }, 90_000);
});

describe('reconnecting-memcached/keyv from the packed package', () => {
  it('serves cache-manager over Keyv from ESM, as the README shows, and answers misses once memcached is gone', () => {
    copyFileSync(join(import.meta.dirname, 'consumer', 'keyv.mjs'), join(consumer.dir, 'keyv.mjs'));
    expect(JSON.parse(run('node', ['keyv.mjs']))).toEqual({
      first: { id: 7 },
      again: { id: 7 },
      loads: 1,
      down: 'miss',
      loaded: { id: 7 },
    });
  });

  it('loads with require() and ships types for both module systems', () => {
    const out = run('node', [
      '-e',
      `const { KeyvStore } = require('reconnecting-memcached/keyv');
       const { Keyv } = require('keyv');
       const store = new KeyvStore({ servers: '127.0.0.1:1' });
       const keyv = new Keyv({ store });
       console.log(typeof KeyvStore, keyv.store === store, store.namespace);
       keyv.disconnect();`,
    ]);
    expect(out.trim()).toBe('function true keyv');
    const source = `import { Keyv } from 'keyv';
import { createClient } from 'reconnecting-memcached';
import { KeyvStore } from 'reconnecting-memcached/keyv';
const keyv = new Keyv<{ id: number }>({ store: new KeyvStore(createClient({ servers: 'x' })) });
const check = async (): Promise<number | undefined> => (await keyv.get('k'))?.id;
// @ts-expect-error: the options are the client's, checked as such
new KeyvStore({ servers: 'x', timeout: 5 });
export { check };
`;
    typecheck('keyv', source);
  }, 90_000);
});

describe('reconnecting-memcached/otel from the packed package', () => {
  it('loads both ways, subscribes to the channels while started, and ships types', () => {
    const script = (load: string) => `${load}
       const dc = require('node:diagnostics_channel');
       const telemetry = startOpenTelemetry();
       const during = dc.hasSubscribers('tracing:reconnecting-memcached:command:start');
       telemetry.stop();
       console.log(typeof startOpenTelemetry, during, dc.hasSubscribers('tracing:reconnecting-memcached:command:start'));`;
    const cjs = run('node', ['-e', script(`const { startOpenTelemetry } = require('reconnecting-memcached/otel');`)]);
    expect(cjs.trim()).toBe('function true false');
    const esm = run('node', [
      '--input-type=module',
      '-e',
      script(`import { createRequire } from 'node:module';
       import { startOpenTelemetry } from 'reconnecting-memcached/otel';
       const require = createRequire(import.meta.url);`),
    ]);
    expect(esm.trim()).toBe('function true false');
    const source = `import { trace } from '@opentelemetry/api';
import { COMMAND_CHANNEL, type CommandContext } from 'reconnecting-memcached';
import { type OpenTelemetryInstrumentation, startOpenTelemetry } from 'reconnecting-memcached/otel';
const telemetry: OpenTelemetryInstrumentation = startOpenTelemetry({ tracerProvider: trace.getTracerProvider() });
const outcome = (context: CommandContext): string => \`\${COMMAND_CHANNEL} \${context.outcome ?? 'pending'}\`;
// @ts-expect-error: a tracer provider is an object
startOpenTelemetry({ tracerProvider: 5 });
const check = (): string => {
  telemetry.stop();
  return outcome({ client: 'checkout', command: 'get', server: 'h:1', keyCount: 1 });
};
export { check };
`;
    typecheck('otel', source);
  }, 90_000);
});

describe('optional peers are loaded only by their subpath', () => {
  const entries: Array<[string, string[]]> = [
    ['reconnecting-memcached', []],
    ['reconnecting-memcached/testing', []],
    // The Keyv store needs Keyv's types only: nothing of Keyv at run time.
    ['reconnecting-memcached/keyv', []],
    ['reconnecting-memcached/otel', ['@opentelemetry/api']],
  ];
  it.each(entries)('%s loads %j, with require() and with import', (entry, peers) => {
    copyFileSync(join(import.meta.dirname, 'consumer', 'loads.mjs'), join(consumer.dir, 'loads.mjs'));
    copyFileSync(join(import.meta.dirname, 'consumer', 'loadHooks.mjs'), join(consumer.dir, 'loadHooks.mjs'));
    expect(JSON.parse(run('node', ['loads.mjs', 'cjs', entry]))).toEqual(peers);
    expect(JSON.parse(run('node', ['loads.mjs', 'esm', entry]))).toEqual(peers);
  });
});

describe('the docs in the packed package', () => {
  const installed = () => join(consumer.dir, 'node_modules', 'reconnecting-memcached');

  it('ships the README, docs/, LICENSE and SECURITY.md, and every relative link in them leads to a file and heading it holds', () => {
    const pkg = installed();
    const docs = readdirSync(join(pkg, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    expect(docs).toContain('docs/fault-kit.md');
    expect(brokenLinks(pkg, ['README.md', 'SECURITY.md', ...docs])).toEqual([]);
    const license = readFileSync(join(pkg, 'LICENSE'), 'utf8');
    expect(license).toContain('The Chromium Authors'); // the Go original's notice, kept by the port
    expect(license).toContain('Redistribution and use in source and binary forms');
  });

  it("runs the README's first example as a plain .mjs on this Node, which then exits", async () => {
    const readme = readFileSync(join(installed(), 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(example).toContain("servers: ['127.0.0.1:11211']");
    const memcached = await startMemcached();
    try {
      writeFileSync(join(consumer.dir, 'readme.mjs'), example.replace('127.0.0.1:11211', memcached.address));
      expect(run('node', ['readme.mjs']).trim()).toBe('hello');
    } finally {
      await memcached.stop();
    }
  });

  it("runs the fault kit page's vitest example, as the page quotes it, against the installed package", () => {
    const example = readFileSync(join(import.meta.dirname, 'consumer', 'fallback.test.mjs'), 'utf8');
    const page = readFileSync(join(installed(), 'docs', 'fault-kit.md'), 'utf8');
    expect(page).toContain(`\`\`\`js\n${example}\`\`\``);
    writeFileSync(join(consumer.dir, 'fallback.test.mjs'), example);
    // vitest, as the consumer's own dev dependency would be; its settings for this run stay out.
    mkdirSync(join(consumer.dir, 'node_modules'), { recursive: true });
    symlinkSync(join(root, 'node_modules', 'vitest'), join(consumer.dir, 'node_modules', 'vitest'), 'dir');
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST$|FORCE_COLOR)/.test(name))),
      NO_COLOR: '1',
    };
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const out = run('node', [vitest, 'run', '--root', consumer.dir, 'fallback.test.mjs'], consumer.dir, env);
    expect(out).toMatch(/Tests\s+1 passed/);
  }, 60_000);
});
