import { describe, expect, it } from 'vitest';
import { InvalidOptionError, ServerError } from '../../../src/core/errors';
import { nextTurn, setup } from '../../support/heldCallRunner';

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
