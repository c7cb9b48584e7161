import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { connectionMachine, type ProbeInput } from '../../../machines/connectionMachine';
import { type PoolServer, poolMachine } from '../../../machines/poolMachine';

const CONNECTION = {
  allowedFailuresBeforeHealing: 2,
  recoveryDelayMs: 1000,
  maxRecoveryDelayMs: 4000,
  probeTimeoutMs: 300,
};

/** A pool whose children log their I/O hooks by server id; probes succeed unless `failing` holds the id. */
function start(servers: readonly PoolServer[]) {
  const clock = new SimulatedClock();
  const log: string[] = [];
  const failing = new Set<string>();
  const connection = connectionMachine.provide({
    actions: {
      dropConnection: ({ self }) => void log.push(`drop ${self.id}`),
      adoptConnection: ({ self }) => void log.push(`adopt ${self.id}`),
      releaseConnection: ({ self }) => void log.push(`release ${self.id}`),
    },
    actors: {
      probe: fromPromise<unknown, ProbeInput>(async ({ input: { server } }) => {
        log.push(`probe ${server}`);
        if (failing.has(server)) throw new Error('refused');
        return `port ${server}`;
      }),
    },
  });
  const pool = createActor(poolMachine.provide({ actors: { connection } }), {
    clock,
    input: { servers, connection: CONNECTION },
  });
  pool.start();
  const child = (id: string) => {
    const ref = pool.getSnapshot().children[id];
    if (!ref) throw new Error(`no child ${id}`);
    return ref;
  };
  const fail = (id: string, times = 1) => {
    for (let i = 0; i < times; i++) {
      const ref = child(id);
      ref.send({ type: 'CALL.FAILED', generation: ref.getSnapshot().context.generation });
    }
  };
  return { pool, clock, log, failing, child, fail, ids: () => Object.keys(pool.getSnapshot().children) };
}

const servers = (...ids: string[]): PoolServer[] => ids.map((id) => ({ id, weight: 1 }));

describe('poolMachine: one connection actor per server', () => {
  it('spawns a child per server, named by its address, each connected with the shared input', () => {
    const t = start(servers('10.0.0.1:11211', '10.0.0.2:11211', '[::1]:11212'));
    expect(t.ids()).toEqual(['10.0.0.1:11211', '10.0.0.2:11211', '[::1]:11212']);
    for (const id of t.ids()) {
      expect(t.child(id).getSnapshot().value).toBe('connected');
      expect(t.child(id).getSnapshot().context).toMatchObject(CONNECTION);
    }
    expect(t.pool.getSnapshot().value).toBe('running');
  });

  it('a failing server moves only its own actor', () => {
    const t = start(servers('a:1', 'b:1', 'c:1'));
    t.fail('b:1', 2);
    expect(t.child('a:1').getSnapshot().value).toBe('connected');
    expect(t.child('b:1').getSnapshot().value).toEqual({ reconnecting: 'waiting' });
    expect(t.child('c:1').getSnapshot().value).toBe('connected');
    expect(t.log).toEqual(['drop b:1']);
  });

  it('each server probes on its own schedule and heals alone', async () => {
    const t = start(servers('a:1', 'b:1'));
    t.fail('a:1', 2);
    const aDelay = t.child('a:1').getSnapshot().context.nextDelayMs;
    t.clock.increment(aDelay - 1);
    t.fail('b:1', 2); // b goes down just before a's probe is due
    const bDelay = t.child('b:1').getSnapshot().context.nextDelayMs;
    t.failing.add('b:1');
    t.clock.increment(1);
    await waitFor(t.child('a:1'), (s) => s.matches('connected'), { timeout: 1000 });
    expect(t.child('b:1').getSnapshot().value).toEqual({ reconnecting: 'waiting' });
    expect(t.log).toEqual(['drop a:1', 'drop b:1', 'probe a:1', 'adopt a:1']);

    t.clock.increment(bDelay - 2); // b's wait started 1 ms before a's probe
    expect(t.log.filter((line) => line === 'probe b:1')).toEqual([]);
    t.clock.increment(1);
    await waitFor(t.child('b:1'), (s) => s.context.attempt === 1, { timeout: 1000 });
    expect(t.child('b:1').getSnapshot().value).toEqual({ reconnecting: 'waiting' });
    expect(t.child('a:1').getSnapshot().value).toBe('connected');
  });
});

describe('poolMachine: membership changes', () => {
  it('kept servers keep their actor and state, new ones start connected, removed ones are closed', () => {
    const t = start(servers('a:1', 'b:1', 'c:1'));
    t.fail('a:1', 1);
    const a = t.child('a:1');
    const b = t.child('b:1');
    t.pool.send({ type: 'SERVERS.SET', servers: [{ id: 'a:1', weight: 3 }, ...servers('d:1')] });

    expect(t.ids()).toEqual(['a:1', 'd:1']);
    expect(t.child('a:1')).toBe(a);
    expect(a.getSnapshot().value).toBe('degraded');
    expect(a.getSnapshot().context.failures).toBe(1);
    expect(t.child('d:1').getSnapshot().value).toBe('connected');
    expect(b.getSnapshot().status).toBe('done');
    expect(b.getSnapshot().value).toBe('closed');
    expect(t.log).toEqual(['release b:1', 'release c:1']);
    expect(t.pool.getSnapshot().context.servers).toEqual([
      { id: 'a:1', weight: 3 },
      { id: 'd:1', weight: 1 },
    ]);
  });

  it('a removed server that was healing never probes again', () => {
    const t = start(servers('a:1', 'b:1'));
    t.fail('b:1', 2);
    t.pool.send({ type: 'SERVERS.SET', servers: servers('a:1') });
    t.clock.increment(1_000_000);
    expect(t.log).toEqual(['drop b:1', 'release b:1']);
  });

  it('a server added back gets a fresh actor', () => {
    const t = start(servers('a:1', 'b:1'));
    t.fail('b:1', 2);
    const old = t.child('b:1');
    t.pool.send({ type: 'SERVERS.SET', servers: servers('a:1') });
    t.pool.send({ type: 'SERVERS.SET', servers: servers('a:1', 'b:1') });
    expect(t.child('b:1')).not.toBe(old);
    expect(t.child('b:1').getSnapshot().value).toBe('connected');
    expect(t.child('b:1').getSnapshot().context.generation).toBe(0);
  });

  it('a server in `restart` is closed and started afresh under the same id', () => {
    const t = start(servers('a:1', 'b:1'));
    t.fail('b:1', 1);
    const old = t.child('b:1');
    t.pool.send({ type: 'SERVERS.SET', servers: servers('a:1', 'b:1'), restart: ['b:1'] });
    expect(old.getSnapshot().value).toBe('closed');
    expect(t.child('b:1')).not.toBe(old);
    expect(t.child('b:1').getSnapshot().value).toBe('connected');
    expect(t.ids()).toEqual(['a:1', 'b:1']);
    expect(t.log).toEqual(['release b:1']);
  });

  it.each([
    ['an empty list', []],
    ['a server twice', servers('a:1', 'a:1')],
  ])('refuses %s and changes nothing', (_, next) => {
    const t = start(servers('a:1', 'b:1'));
    t.pool.send({ type: 'SERVERS.SET', servers: next });
    expect(t.ids()).toEqual(['a:1', 'b:1']);
    expect(t.pool.getSnapshot().context.servers).toEqual(servers('a:1', 'b:1'));
    expect(t.log).toEqual([]);
  });
});

describe('poolMachine: close', () => {
  it('closes every child through its CLOSE, then is final; no timer fires afterwards', () => {
    const t = start(servers('a:1', 'b:1', 'c:1'));
    t.fail('c:1', 2);
    const children = t.ids().map((id) => t.child(id));
    t.pool.send({ type: 'CLOSE' });
    expect(t.pool.getSnapshot().status).toBe('done');
    expect(children.map((c) => c.getSnapshot().value)).toEqual(['closed', 'closed', 'closed']);
    expect(t.log).toEqual(['drop c:1', 'release a:1', 'release b:1', 'release c:1']);
    t.clock.increment(1_000_000);
    expect(t.log.some((line) => line.startsWith('probe'))).toBe(false);
  });
});
