// `npm run bench [-- --quick] [--servers host:port[,host:port]] [--only healthy,parity,values,commands,transport,tls,proxy,outage,recovery,memory] [--strict]`
//
// Measures this library against what a user would pick instead, side by side in one run, prints
// markdown tables and whether each performance target is met, and writes every raw figure to bench/results/.
// See docs/performance.md for the method and what the numbers mean.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { freePort, startBlackHole } from '../src/testing/memcached';
import { ControlledMemcached } from './ControlledMemcached';
import { commandsSuite } from './commandsSuite';
import { CONTENDERS, type Contender, createContender, HEALTHY_CONTENDERS } from './contenders';
import { healthySuite, seed } from './healthySuite';
import { loadLibrary } from './library';
import { memorySuite } from './memorySuite';
import { type OutageKind, outageSuite } from './outageSuite';
import { paritySuite } from './paritySuite';
import { proxySuite } from './proxySuite';
import { recoverySuite } from './recoverySuite';
import { type BenchResults, renderMarkdown, targets } from './report';
import { tlsSuite } from './tlsSuite';
import { transportSuite } from './transportSuite';
import { renderValues, type ValuesRow, valuesSuite } from './valuesSuite';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    servers: { type: 'string' },
    only: { type: 'string' },
    // Exit with 1 when a target is not met (the tables are printed either way).
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: new URL('./results/', import.meta.url).pathname },
  },
});
const quick = args.quick === true;

const settings = {
  healthy: {
    rounds: quick ? 3 : 9,
    roundMs: quick ? 150 : 250,
    callers: [1, 64, 256],
    multiGets: [
      { size: 10, callers: 1 },
      { size: 100, callers: 1 },
      { size: 1000, callers: 1 },
      { size: 10, callers: 16 },
      { size: 100, callers: 16 },
    ],
  },
  parity: { rounds: quick ? 12 : 200, roundMs: 50 },
  values: { rounds: quick ? 3 : 7, roundMs: quick ? 150 : 250 },
  commands: { rounds: quick ? 3 : 9, roundMs: quick ? 150 : 250, callers: 64 },
  transport: { rounds: quick ? 3 : 15, roundMs: quick ? 150 : 250, callers: 64 },
  tls: { rounds: quick ? 3 : 9, roundMs: quick ? 150 : 250, callers: [1, 64] },
  proxy: { rounds: quick ? 3 : 9, roundMs: quick ? 150 : 250, callers: 64 },
  outage: { rounds: quick ? 4 : 10, callsPerRound: quick ? 2000 : 5000, slowCalls: quick ? 16 : 64, capMs: 5000 },
  recovery: { trials: quick ? 4 : 10, callers: 64, timeoutMs: 100, recoveryDelayMs: 20 },
  memory: {
    calls: quick ? 100_000 : 1_000_000,
    cycles: quick ? 10 : 100,
    callers: 64,
    timeoutMs: 25,
    recoveryDelayMs: 5,
  },
};

// The suites are the settings' keys.
type Suite = keyof typeof settings;
const SUITES = Object.keys(settings) as Suite[];
const only = new Set<Suite>(args.only ? (args.only.split(',') as Suite[]) : SUITES);
for (const s of only)
  if (!SUITES.includes(s)) throw new Error(`--only: unknown suite ${s}; one of ${SUITES.join(', ')}`);

const log = (line: string) => console.error(`[bench] ${line}`);

function environment(): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  let memcachedVersion = 'unknown';
  try {
    memcachedVersion = execFileSync('memcached', ['-V'], { encoding: 'utf8' }).trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAverageAtStart: os.loadavg(),
    memcached: args.servers ?? memcachedVersion,
    quick,
    settings,
  };
}

// Between suites: what the previous suite's clients left behind is collected now, not in the
// middle of the next suite's measurements (a full run's recovery suite saw a 4.8 ms healing probe
// right after the healthy and outage suites, and none when run alone).
function collectGarbage(): void {
  const gc = globalThis.gc;
  if (gc) for (let i = 0; i < 2; i++) gc();
}

async function closeAll(contenders: readonly Contender[]): Promise<void> {
  await Promise.all(contenders.map((c) => c.close()));
}

async function main(): Promise<number> {
  const lib = await loadLibrary();
  const results: BenchResults = { environment: environment(), contenders: HEALTHY_CONTENDERS };
  const started = performance.now();

  if (only.has('healthy')) {
    const own = args.servers ? undefined : await ControlledMemcached.start();
    const servers = args.servers ?? own!.address;
    const contenders = HEALTHY_CONTENDERS.map((name) => createContender(name, lib, servers));
    try {
      await seed(contenders[1]!);
      log(`healthy workloads against ${servers}`);
      results.healthy = await healthySuite(contenders, settings.healthy, log);
    } finally {
      await closeAll(contenders);
      await own?.stop();
    }
  }

  // Meta against binary, with a second binary client as the control (paritySuite.ts).
  if (only.has('parity')) {
    collectGarbage();
    const own = args.servers ? undefined : await ControlledMemcached.start();
    try {
      results.parity = await paritySuite(lib, args.servers ?? own!.address, settings.parity, log);
    } finally {
      await own?.stop();
    }
  }

  let values: ValuesRow[] | undefined;
  if (only.has('values')) {
    collectGarbage();
    const own = args.servers ? undefined : await ControlledMemcached.start();
    try {
      values = await valuesSuite(lib, args.servers ?? own!.address, settings.values, log);
    } finally {
      await own?.stop();
    }
  }

  // incr, add, gets+cas and setMulti, this library against memjs (ignores --servers: it stores and counts).
  if (only.has('commands')) {
    collectGarbage();
    const own = await ControlledMemcached.start();
    try {
      log(`commands against ${own.address}`);
      results.commands = await commandsSuite(lib, own.address, settings.commands, log);
    } finally {
      await own.stop();
    }
  }

  // This library over TCP, TLS and a UNIX socket, each against its own memcached (ignores --servers).
  if (only.has('transport')) {
    collectGarbage();
    results.transport = await transportSuite(lib, settings.transport, log);
  }

  // Get over each protocol and over bare sockets, TLS against plain TCP in CPU per call (memcached -t 1).
  if (only.has('tls')) {
    collectGarbage();
    results.tls = await tlsSuite(lib, settings.tls, log);
  }

  // 'text' through twemproxy against straight to its memcached (ignores --servers).
  if (only.has('proxy')) {
    collectGarbage();
    results.proxy = await proxySuite(lib, settings.proxy, log);
  }

  // Recovery and memory before the outage suite: the other clients' calls into its black hole may
  // never settle (the memcached package keeps one pending for good), and would slow the healing
  // probes the recovery suite times.
  if (only.has('recovery') || only.has('memory')) {
    collectGarbage();
    const memcached = await ControlledMemcached.start();
    try {
      if (only.has('recovery')) results.recovery = await recoverySuite(lib, memcached, settings.recovery, log);
      if (only.has('memory')) results.memory = await memorySuite(lib, memcached, settings.memory, log);
    } finally {
      await memcached.stop();
    }
  }

  if (only.has('outage')) {
    collectGarbage();
    const blackHole = await startBlackHole();
    const addresses: Record<OutageKind, string> = {
      refused: `127.0.0.1:${await freePort()}`,
      blackhole: blackHole.address,
    };
    results.outage = [];
    try {
      for (const kind of ['refused', 'blackhole'] as const) {
        const contenders = CONTENDERS.map((name) => createContender(name, lib, addresses[kind]));
        try {
          results.outage.push(...(await outageSuite(kind, contenders, settings.outage, log)));
        } finally {
          await closeAll(contenders);
        }
      }
    } finally {
      await blackHole.close();
    }
  }

  results.environment.loadAverageAtEnd = os.loadavg();
  results.environment.seconds = (performance.now() - started) / 1000;
  const markdown = renderMarkdown(results) + (values ? `\n\n${renderValues(values)}` : '');
  const load = (results.environment.loadAverageAtStart as number[]).map((l) => l.toFixed(2)).join(', ');
  const loadEnd = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  console.log(
    `## npm run bench${quick ? ' -- --quick' : ''} (${results.environment.date})\n\n` +
      `Node ${process.version}, ${os.cpus().length} CPUs, load average ${load} at start and ${loadEnd} at the end, ` +
      `commit ${results.environment.commit}, ${((results.environment.seconds as number) / 60).toFixed(1)} min.\n\n${markdown}`,
  );
  mkdirSync(args.out!, { recursive: true });
  const stem = `${args.out}/bench-${(results.environment.date as string).replace(/[:.]/g, '-')}${quick ? '-quick' : ''}`;
  writeFileSync(`${stem}.json`, `${JSON.stringify({ ...results, values }, null, 2)}\n`);
  writeFileSync(`${stem}.md`, `${markdown}\n`);
  log(`raw figures written to ${stem}.json`);
  const missed = targets(results).filter((t) => !t.met);
  if (missed.length) log(`targets not met: ${missed.map((t) => t.name).join('; ')}`);
  return args.strict && missed.length > 0 ? 1 : 0;
}

// Exits explicitly: calls the other clients made into the black hole may never settle (the
// memcached package does not time them out), and the benchmark should not wait on them.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
