import { describe, expect, it, vi } from 'vitest';
import { InFlight } from '../../../src/connection/InFlight';
import type { ResponseReader, WireAnswer, WireRequest } from '../../../src/connection/WireRequest';
import { NO_ID } from '../../../src/connection/WireRequest';
import { ConnectionError } from '../../../src/core/errors';
import { SETTLE_SLICE } from '../../../src/core/inSlices';
import { BinaryExchange } from '../../../src/memjs/BinaryExchange';
import type { InPlaceResponse } from '../../../src/memjs/InPlaceResponse';
import { MORE } from '../../../src/memjs/responseReaders';
import { PromiseOutcome } from '../../../src/port/Outcome';

const answer = (id: number): WireAnswer => ({ id, describe: () => `id ${id}` });

/** A request with ids [id, id + span), done after `answers` answers; records what it read and why it failed. */
function request(id: number, span = 1, answers = 1) {
  const read: number[] = [];
  const failed: Error[] = [];
  const r: WireRequest<WireAnswer> = {
    id,
    span,
    handle: (a) => read.push(a.id) >= answers,
    fail: (err) => failed.push(err),
  };
  return Object.assign(r, { read, failed });
}

function inFlight(refuses?: (a: WireAnswer) => Error | undefined) {
  const end = vi.fn();
  return { end, queue: new InFlight<WireAnswer, WireRequest<WireAnswer>>({ server: 'mc:11211', end, refuses }) };
}

describe('InFlight: the requests in flight on one socket, and what fails it', () => {
  it('hands each answer to the oldest request, within its ids, and forgets it once it has all of them', () => {
    const { queue } = inFlight();
    const [a, batch, plain] = [request(1), request(2, 3, 3), request(NO_ID, 0)];
    for (const r of [a, batch, plain]) queue.push(r);
    for (const id of [1, 3, 2, 4, NO_ID]) expect(queue.deliver(answer(id))).toBe(true);
    expect([a.read, batch.read, plain.read]).toEqual([[1], [3, 2, 4], [NO_ID]]);
    expect(queue.size).toBe(0);
    expect(queue.alive).toBe(true);
  });

  it('fails the socket and every request, once, at an answer with another request id or none waiting', () => {
    const { queue, end } = inFlight();
    const [a, b] = [request(1), request(2)];
    queue.push(a);
    queue.push(b);
    // b's answer while a's is missing: a's was dropped, or this one is unsolicited.
    expect(queue.deliver(answer(2))).toBe(false);
    expect(end).toHaveBeenCalledTimes(1);
    expect(queue.dead).toBeInstanceOf(ConnectionError);
    expect(String(queue.dead)).toMatch(/mc:11211 sent an answer out of step \(id 2; expected id 1\)/);
    expect([a.read, b.read]).toEqual([[], []]);
    expect([a.failed, b.failed]).toEqual([[queue.dead], [queue.dead]]);
    queue.fail(new Error('again'));
    expect(end).toHaveBeenCalledTimes(1);
    const empty = inFlight().queue;
    expect(empty.deliver(answer(5))).toBe(false);
    expect(String(empty.dead)).toMatch(/no request waits/);
  });

  it('fails the socket at an answer its request cannot take, and at a refusal whatever it is paired with', () => {
    const { queue } = inFlight();
    const r = request(1);
    r.handle = () => {
      throw new Error('not a GET answer');
    };
    queue.push(r);
    expect(queue.deliver(answer(1))).toBe(false);
    expect(queue.dead).toBeInstanceOf(ConnectionError);
    const refused = new ConnectionError(new Error('SERVER_ERROR out of memory'));
    const other = inFlight(() => refused).queue;
    const waiting = request(1);
    other.push(waiting);
    expect(other.deliver(answer(1))).toBe(false);
    expect(waiting.failed).toEqual([refused]);
  });

  it('fails what the reader throws at, and reads nothing more once dead', () => {
    const { queue } = inFlight();
    const r = request(1);
    queue.push(r);
    const feed = vi.fn<(chunk: Buffer) => void>(() => {
      throw new Error('a line longer than 8192 bytes');
    });
    const reader: ResponseReader = { feed };
    queue.read(reader, Buffer.from('x'));
    queue.read(reader, Buffer.from('y'));
    expect(feed).toHaveBeenCalledTimes(1);
    expect(r.failed[0]).toBeInstanceOf(ConnectionError);
  });

  it('fails a request pushed after the socket died at once, and does not queue it', () => {
    const { queue } = inFlight();
    const cause = new Error('link cut');
    queue.fail(cause);
    const late = request(1);
    expect(queue.push(late)).toBe(false);
    expect(late.failed).toEqual([cause]);
    expect(queue.size).toBe(0);
  });

  it('abandon() drops a socket that received bytes, not one that received none', () => {
    const { queue, end } = inFlight();
    const r = request(1);
    queue.push(r);
    queue.abandon();
    expect(queue.alive).toBe(true);
    queue.read({ feed() {} }, Buffer.from('VA 1'));
    queue.abandon();
    expect(end).toHaveBeenCalledTimes(1);
    expect(String(r.failed[0])).toMatch(/no call waits on mc:11211 any more/);
  });

  it('fails a crowd in slices: the first slice now, the rest on later turns', async () => {
    const { queue } = inFlight();
    const crowd = Array.from({ length: SETTLE_SLICE + 5 }, (_, i) => request(i));
    for (const r of crowd) queue.push(r);
    queue.fail(new Error('link cut'));
    expect(crowd.filter((r) => r.failed.length > 0)).toHaveLength(SETTLE_SLICE);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(crowd.every((r) => r.failed.length === 1)).toBe(true);
  });
});

describe('BinaryExchange on the core: its opaques are its ids', () => {
  const response = (opaque: number) => ({ opaque, id: opaque, describe: () => `opaque ${opaque}` }) as InPlaceResponse;

  it("takes a setMulti's answers under its parts' opaques across the wrap, and refuses the opaque no request has", () => {
    const parts = [0xfffffffe, 0xffffffff, 1];
    const outcome = new PromiseOutcome<number[]>();
    const seen: number[] = [];
    const read = (r: InPlaceResponse) => {
      seen.push(r.opaque);
      return r.opaque === 2 ? seen : MORE;
    };
    const exchange = new BinaryExchange(2, read, '', (err) => err as Error, outcome, parts);
    const { queue } = inFlight();
    const binary = queue as unknown as InFlight<InPlaceResponse, BinaryExchange<number[]>>;
    binary.push(exchange);
    for (const opaque of [0xffffffff, 1]) expect(binary.deliver(response(opaque))).toBe(true);
    // 0 lies within the ids' range (memjs's SASL opaque, skipped by the port's ids): not this batch's.
    expect(binary.deliver(response(0))).toBe(false);
    expect(String(binary.dead)).toMatch(/opaque 0; not one of its batch's/);
    const other = inFlight().queue as unknown as InFlight<InPlaceResponse, BinaryExchange<number[]>>;
    other.push(new BinaryExchange(2, read, '', (err) => err as Error, new PromiseOutcome<number[]>(), parts));
    expect(other.deliver(response(3))).toBe(false);
    expect(String(other.dead)).toMatch(/opaque 3; expected ids 4294967294-2/);
  });
});
