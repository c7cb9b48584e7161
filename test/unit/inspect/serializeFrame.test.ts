import { describe, expect, it } from 'vitest';
import { REDACTED, serializeFrame } from '../../../src/inspect/serializeFrame';

describe('serializeFrame', () => {
  it('scrubs the password of a user:pass@host address wherever it appears', () => {
    const frame = {
      event: { type: 'xstate.error.actor.probe', error: { message: 'auth failed for admin:hunter2@10.0.0.1:11211' } },
      list: ['x', 'u:p4ss@h'],
    };
    const text = serializeFrame(frame, []);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('p4ss');
    expect(text).toContain(`admin:${REDACTED}@10.0.0.1:11211`);
  });

  it('scrubs properties named like secrets, and exact secrets even in property names', () => {
    const frame = {
      context: { password: 'pw1', nested: { Token: 'tok', apiKey: 'k' }, 'key-t0psecret': 1, n: 't0psecret!' },
    };
    const text = serializeFrame(frame, ['t0psecret']);
    for (const secret of ['pw1', 'tok', '"k"', 't0psecret']) expect(text).not.toContain(secret);
    expect(JSON.parse(text).context.password).toBe(REDACTED);
  });

  it('scrubs a secret with characters that JSON escapes', () => {
    const secret = 'a"b\\c';
    const text = serializeFrame({ message: `the secret is ${secret}` }, [secret]);
    expect(JSON.parse(text).message).toBe(`the secret is ${REDACTED}`);
  });

  it('keeps ordinary frames intact, shared objects included, and survives cycles, functions and bigints', () => {
    const shared = { a: 1 };
    const cyclic: Record<string, unknown> = {
      type: '@xstate.snapshot',
      shared,
      again: shared,
      n: 10n,
      fn: function probe() {},
    };
    cyclic.self = cyclic;
    const parsed = JSON.parse(serializeFrame(cyclic, ['']));
    expect(parsed).toEqual({
      type: '@xstate.snapshot',
      shared: { a: 1 },
      again: { a: 1 },
      n: '10',
      fn: { type: 'probe' },
      self: '[Circular]',
    });
  });
});
