import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { lateAfterMs } from '../../../src/core/clock';
import { InvalidOptionError, ServerError } from '../../../src/core/errors';
import { CallRunner } from '../../../src/engine/CallRunner';
import type { CallTarget } from '../../../src/engine/CallTarget';
import type { MemcachedPort } from '../../../src/port/MemcachedPort';
import { PENDING, settledNow } from '../../support/settledNow';

// The engine's side of per-call options and of a busy caller, over a
// port whose answers the test gives by hand and a simulated clock.
class HeldPort {
  received = 0;
  abandoned = 0;
  readonly held: { resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  get(): Promise<unknown> {
    return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
  }
  abandon(): void {
    this.abandoned++;
  }
}

function setup() {
  const clock = new SimulatedClock();
  const runner = new CallRunner(clock, 100, 'test');
  const port = new HeldPort();
  const failures: number[] = [];
  const target: CallTarget = {
    id: 'h:1',
    port: port as unknown as MemcachedPort,
    generation: 1,
    active: true,
    succeeded() {},
    failed: (generation) => failures.push(generation),
  };
  const ops: string[] = [];
  const call = (opts?: object) =>
    runner.run(
      target,
      (p) => {
        ops.push('get');
        return (p as unknown as HeldPort).get();
      },
      undefined,
      (value): unknown => ({ ok: true, value }),
      (notOk): unknown => notOk,
      { name: 'get' },
      1,
      opts,
    );
  return { clock, runner, port, target, failures, ops, call };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('CallRunner: per-call timeoutMs', () => {
  it('a shorter and a longer deadline than the client timeoutMs each expire at their own time', async () => {
    const { clock, call } = setup();
    const settled: string[] = [];
    call({ timeoutMs: 30 }).then(() => settled.push(`short@${clock.now()}`));
    call().then(() => settled.push(`default@${clock.now()}`));
    call({ timeoutMs: 250 }).then(() => settled.push(`long@${clock.now()}`));
    for (let t = 0; t < 300; t++) {
      clock.increment(1);
      await Promise.resolve();
    }
    expect(settled).toEqual(['short@30', 'default@100', 'long@250']);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '50'])(
    'rejects timeoutMs %s with InvalidOptionError before any I/O',
    async (timeoutMs) => {
      const { call, ops } = setup();
      await expect(call({ timeoutMs })).rejects.toBeInstanceOf(InvalidOptionError);
      expect(ops).toEqual([]);
    },
  );

  it('rejects a signal that is not an AbortSignal, and options that are not an object', async () => {
    const { call, ops } = setup();
    await expect(call({ signal: {} })).rejects.toThrow(/Invalid option signal/);
    await expect(call(null as never)).rejects.toBeInstanceOf(InvalidOptionError);
    expect(ops).toEqual([]);
  });
});

describe('CallRunner: signal', () => {
  it('an aborted signal answers `aborted` at once, without I/O', async () => {
    const { call, ops, failures } = setup();
    expect(await call({ signal: AbortSignal.abort() })).toEqual({ ok: false, reason: 'aborted' });
    expect(ops).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('an abort in flight answers `aborted`, counts nothing, drops its deadline and its listener', async () => {
    const { clock, call, port, failures } = setup();
    const controller = new AbortController();
    const listeners = new Set<unknown>();
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type: string, l: never) => {
      listeners.add(l);
      add(type, l);
    };
    signal.removeEventListener = (type: string, l: never) => {
      listeners.delete(l);
      remove(type, l);
    };
    const answer = call({ signal });
    expect(listeners.size).toBe(1);
    controller.abort();
    expect(await answer).toEqual({ ok: false, reason: 'aborted' });
    expect(listeners.size).toBe(0);
    // The late answer is dropped; no deadline is left to fire.
    port.held[0]?.resolve('late');
    clock.increment(1_000);
    await nextTurn();
    expect(failures).toEqual([]);
    // The next call runs on the same port as before.
    const next = call();
    port.held[1]?.resolve('v');
    expect(await next).toEqual({ ok: true, value: 'v' });
  });

  it('a call settled otherwise removes its abort listener', async () => {
    const { call, port } = setup();
    const controller = new AbortController();
    let removed = 0;
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.removeEventListener = (type: string, l: never) => {
      removed++;
      remove(type, l);
    };
    const answer = call({ signal: controller.signal });
    port.held[0]?.reject(new ServerError(new Error('MemJS GET: Busy')));
    expect(await answer).toMatchObject({ ok: false, reason: 'server' });
    expect(removed).toBe(1);
  });
});

describe('CallRunner: a timeout counts unless the process was late while bytes waited', () => {
  it('a deadline noticed on time counts', async () => {
    const { clock, call, failures } = setup();
    const answer = call();
    clock.increment(100);
    expect(await answer).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([1]);
  });

  it('noticed late, with bytes arriving in the turn the sockets get first: does not count', async () => {
    const { clock, call, port, failures } = setup();
    const answer = call();
    // The event loop was held: the timer runs 150 ms late.
    clock.increment(250);
    port.received++;
    await nextTurn();
    // Answers came in that turn: the rest get lateAfterMs more before anything expires.
    expect(await settledNow(answer)).toBe(PENDING);
    clock.increment(lateAfterMs(100));
    expect(await answer).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([]);
  });

  it('noticed late, on a connection that stays silent: counts', async () => {
    const { clock, call, failures } = setup();
    const answer = call();
    clock.increment(250);
    await nextTurn();
    expect(await answer).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([1]);
  });

  it('held for half its length or more, with bytes since it was written (a burst): does not count', async () => {
    const { clock, call, port, failures } = setup();
    const answer = call();
    // Answers to older calls kept coming; none in the turn itself (memcached busy with the burst).
    port.received++;
    clock.increment(250);
    await nextTurn();
    expect(await answer).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([]);
  });

  it('only a little late, with bytes since it was written but none in the turn: counts', async () => {
    const { clock, call, port, failures } = setup();
    const answer = call();
    port.received++;
    clock.increment(120);
    await nextTurn();
    expect(await answer).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([1]);
  });

  it('an answer read in that turn settles the call ok', async () => {
    const { clock, call, port, failures } = setup();
    const answer = call();
    clock.increment(250);
    port.received++;
    port.held[0]?.resolve('v');
    await nextTurn();
    expect(await answer).toEqual({ ok: true, value: 'v' });
    expect(failures).toEqual([]);
  });

  it("a failure of an older connection's call is not sent to the machine", async () => {
    const { call, port, target, failures } = setup();
    const answer = call();
    (target as { generation: number }).generation = 2;
    port.held[0]?.reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    expect(await answer).toMatchObject({ ok: false, reason: 'connection' });
    expect(failures).toEqual([]);
  });
});

describe('CallRunner: a connection nobody waits on while bytes keep coming is abandoned', () => {
  it('when its last call times out and bytes arrived since that call was written', async () => {
    const { clock, call, port } = setup();
    call();
    clock.increment(50);
    call();
    port.received++;
    clock.increment(50);
    // One call is still waiting: not yet.
    expect(port.abandoned).toBe(0);
    port.received++;
    clock.increment(50);
    expect(port.abandoned).toBe(1);
  });

  it('not when the connection is silent (that is a timeout, which counts)', () => {
    const { clock, call, port } = setup();
    call();
    clock.increment(100);
    expect(port.abandoned).toBe(0);
  });
});
