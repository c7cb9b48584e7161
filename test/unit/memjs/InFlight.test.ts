import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../src/memjs/Exchange';
import { InFlight } from '../../../src/memjs/InFlight';

function exchange(opaque: number, parts?: number[]): Exchange {
  return {
    opaque,
    owns: (o) => parts?.includes(o) ?? false,
    respond: () => true,
    fail: () => {},
  };
}

describe('InFlight: the requests in flight on one connection, in write order', () => {
  it('finds the oldest request first, and each one by its opaque when answers come out of order', () => {
    const inFlight = new InFlight();
    const [a, b, c] = [exchange(1), exchange(2), exchange(3)];
    for (const e of [a, b, c]) inFlight.add(e);
    expect(inFlight.find(1)).toBe(a);
    expect(inFlight.find(3)).toBe(c);
    expect(inFlight.find(9)).toBeUndefined();
    inFlight.delete(b);
    expect(inFlight.find(2)).toBeUndefined();
    expect(inFlight.size).toBe(2);
    inFlight.delete(a);
    inFlight.delete(c);
    expect(inFlight.size).toBe(0);
    // Deleting one that is gone already does nothing.
    inFlight.delete(a);
    expect(inFlight.size).toBe(0);
  });

  it("finds a pipelined request by any of its parts' opaques", () => {
    const inFlight = new InFlight();
    const plain = exchange(10);
    const batch = exchange(14, [11, 12, 13]);
    inFlight.add(plain);
    inFlight.add(batch);
    expect(inFlight.find(12)).toBe(batch);
    expect(inFlight.find(14)).toBe(batch);
  });

  it('clear() hands back every request still in flight, oldest first, and forgets them', () => {
    const inFlight = new InFlight();
    const all = [exchange(1), exchange(2), exchange(3)];
    for (const e of all) inFlight.add(e);
    inFlight.delete(all[0] as Exchange);
    expect(inFlight.clear()).toEqual([all[1], all[2]]);
    expect(inFlight.size).toBe(0);
    expect(inFlight.find(2)).toBeUndefined();
  });

  it('stays correct over many turns of add and delete (the head moves, the array is reused)', () => {
    const inFlight = new InFlight();
    const live: Exchange[] = [];
    for (let i = 1; i <= 1_000; i++) {
      const e = exchange(i);
      inFlight.add(e);
      live.push(e);
      // Answered in order, two at a time, with one left behind every seventh turn.
      if (i % 2 === 0 && i % 7 !== 0) {
        for (const done of live.splice(0, 2)) inFlight.delete(done);
      }
    }
    expect(inFlight.size).toBe(live.length);
    for (const e of live) expect(inFlight.find(e.opaque)).toBe(e);
  });
});
