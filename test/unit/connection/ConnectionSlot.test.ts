import { describe, expect, it } from 'vitest';
import { ConnectionSlot } from '../../../src/connection/ConnectionSlot';

class FakeConnection {
  alive = true;
  destroyed: Error | undefined;
  destroy(err: Error): void {
    this.alive = false;
    this.destroyed = err;
  }
  abandon(): void {}
}

function slot() {
  const made: FakeConnection[] = [];
  const onData: (() => void)[] = [];
  const s = new ConnectionSlot((data) => {
    onData.push(data);
    const connection = new FakeConnection();
    made.push(connection);
    return connection;
  });
  return { slot: s, made, onData };
}

describe('ConnectionSlot', () => {
  it('keeps one connection while it lives, makes another once it died, counts what each received', () => {
    const { slot: s, made, onData } = slot();
    const first = s.current();
    expect(s.current()).toBe(first);
    first!.alive = false;
    const second = s.current();
    expect(second).not.toBe(first);
    expect(made).toHaveLength(2);
    onData[0]!();
    onData[1]!();
    onData[1]!();
    expect(s.received).toBe(3);
  });

  it('a retired connection gets no new requests, and is closed with the slot if still open', () => {
    const { slot: s } = slot();
    const retired = s.current()!;
    s.retire(retired);
    const next = s.current()!;
    expect(next).not.toBe(retired);
    expect(retired.destroyed).toBeUndefined();
    s.close();
    expect(retired.destroyed?.message).toMatch(/closed by the client/);
    expect(next.destroyed?.message).toMatch(/closed by the client/);
  });

  it('after close, no connection is made and the request is told why', () => {
    const { slot: s, made } = slot();
    s.close();
    let failed: Error | undefined;
    expect(
      s.current((err) => {
        failed = err;
      }),
    ).toBeUndefined();
    expect(failed?.message).toMatch(/closed by the client/);
    expect(made).toHaveLength(0);
  });
});
