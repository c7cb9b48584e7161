import { describe, expect, it } from 'vitest';
import { lateAfterMs } from '../../../src/core/clock';
import { nextTurn, setup } from '../../support/heldCallRunner';
import { PENDING, settledNow } from '../../support/settledNow';

describe('CallRunner: a timeout counts unless the process, not the server, made it', () => {
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

  it('on time, but the server answered calls made in the same turn (a burst it works through): does not count', async () => {
    const { clock, call, port, failures } = setup();
    const answers = Array.from({ length: 20 }, () => call());
    // The first half's answers arrived; the rest wait behind them when their deadline passes.
    port.received++;
    for (const held of port.held.slice(0, 10)) held.resolve('v');
    await Promise.resolve();
    clock.increment(100);
    const settled = await Promise.all(answers);
    expect(settled.filter((a) => (a as { ok: boolean }).ok)).toHaveLength(10);
    expect(failures).toEqual([]);
  });

  it('on time, a call the server skipped (one made after it in its turn was answered): counts', async () => {
    const { clock, call, port, failures } = setup();
    const skipped = call();
    const next = call();
    port.received++;
    port.held[1]?.resolve('v');
    expect(await next).toEqual({ ok: true, value: 'v' });
    clock.increment(100);
    expect(await skipped).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([1]);
  });

  it('on time, calls made after the last answered turn (a server that stopped answering): count', async () => {
    const { clock, call, port, failures } = setup();
    const first = call();
    port.received++;
    port.held[0]?.resolve('v');
    expect(await first).toEqual({ ok: true, value: 'v' });
    const later = Array.from({ length: 3 }, () => call());
    clock.increment(100);
    for (const answer of await Promise.all(later)) expect(answer).toMatchObject({ ok: false, reason: 'timeout' });
    expect(failures).toEqual([1]);
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
