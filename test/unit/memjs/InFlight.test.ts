import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../src/memjs/Exchange';
import { InFlight } from '../../../src/memjs/InFlight';
import type { InPlaceResponse } from '../../../src/memjs/InPlaceResponse';

/** An exchange that records the opaques it read, done after `answers` of them. */
function exchange(opaque: number, parts?: number[], answers = 1) {
  const read: number[] = [];
  const e: Exchange = {
    opaque,
    owns: (o) => parts?.includes(o) ?? false,
    respond: (response) => read.push(response.opaque) >= answers,
    fail: () => {},
  };
  return Object.assign(e, { read });
}
const response = (opaque: number) => ({ opaque }) as InPlaceResponse;

describe('InFlight: the requests in flight on one connection, in write order', () => {
  it('hands each answer to the oldest request, and forgets it once it has all of them', () => {
    const inFlight = new InFlight();
    const [a, b] = [exchange(1), exchange(2)];
    inFlight.add(a);
    inFlight.add(b);
    expect(inFlight.respond(response(1))).toBe(true);
    expect(inFlight.oldest).toBe(b);
    expect(inFlight.respond(response(2))).toBe(true);
    expect(inFlight.size).toBe(0);
    expect([a.read, b.read]).toEqual([[1], [2]]);
  });

  it("takes a pipelined request's answers under any of its parts' opaques, until it is done", () => {
    const inFlight = new InFlight();
    const batch = exchange(14, [11, 12, 13], 3);
    inFlight.add(batch);
    for (const opaque of [12, 13, 14]) expect(inFlight.respond(response(opaque))).toBe(true);
    expect(batch.read).toEqual([12, 13, 14]);
    expect(inFlight.size).toBe(0);
  });

  it("refuses, without reading it, an answer that is not the oldest request's or when none waits", () => {
    const inFlight = new InFlight();
    expect(inFlight.respond(response(1))).toBe(false);
    const [a, b] = [exchange(1), exchange(2)];
    inFlight.add(a);
    inFlight.add(b);
    // b's answer while a's is missing: a's answer was dropped, or this one is unsolicited.
    expect(inFlight.respond(response(2))).toBe(false);
    expect(inFlight.respond(response(9))).toBe(false);
    expect([a.read, b.read]).toEqual([[], []]);
    expect(inFlight.size).toBe(2);
  });

  it('clear() hands back every request still in flight, oldest first, and forgets them', () => {
    const inFlight = new InFlight();
    const all = [exchange(1), exchange(2), exchange(3)];
    for (const e of all) inFlight.add(e);
    inFlight.respond(response(1));
    expect(inFlight.clear()).toEqual([all[1], all[2]]);
    expect(inFlight.size).toBe(0);
    expect(inFlight.oldest).toBeUndefined();
  });
});
