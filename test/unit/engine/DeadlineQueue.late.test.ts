import { describe, expect, it } from 'vitest';
import { lateAfterMs } from '../../../src/core/clock';
import { Deadline, HELD, ON_TIME } from '../../../src/engine/Deadline';
import { EXPIRE_SLICE } from '../../../src/engine/DeadlineQueue';
import { deadline, setupDeadlineQueue as setup } from '../../support/setupDeadlineQueue';

/** A deadline whose connection has received something since it was marked (answers are flowing). */
class Answered extends Deadline {
  constructor(readonly seen: string[]) {
    super();
  }
  override heardSinceMark(): boolean {
    return true;
  }
  expire(lateness: number): void {
    this.seen.push(`expire lateness=${lateness}`);
  }
}

describe('DeadlineQueue', () => {
  it('expires many due deadlines in slices, each in its own turn of the event loop', async () => {
    const { clock, queue } = setup();
    let expired = 0;
    for (let i = 0; i < EXPIRE_SLICE * 2 + 5; i++) queue.add(deadline(() => expired++));
    clock.increment(100);
    expect(expired).toBe(EXPIRE_SLICE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(expired).toBe(EXPIRE_SLICE * 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(expired).toBe(EXPIRE_SLICE * 2 + 5);
  });

  it('doubles its slice each turn while what is left is far past due, and falls back once caught up', async () => {
    const { clock, queue } = setup();
    let expired = 0;
    const total = EXPIRE_SLICE * 10;
    for (let i = 0; i < total; i++) queue.add(deadline(() => expired++));
    // 300 ms past due: a late timer, so the first turn only marks; then 2, 4, 8 slices, the rest.
    clock.increment(400);
    const seen: number[] = [];
    while (expired < total) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(expired);
    }
    expect(seen).toEqual([1, 3, 7, 10].map((n) => n * EXPIRE_SLICE));
    // Caught up: the next many due deadlines start again at one slice.
    for (let i = 0; i < EXPIRE_SLICE * 2; i++) queue.add(deadline(() => expired++));
    clock.increment(100);
    expect(expired).toBe(total + EXPIRE_SLICE);
  });

  it('a timer that fires late gives the sockets a turn first, then expires as late', async () => {
    const { clock, queue } = setup();
    const seen: string[] = [];
    class Recording extends Deadline {
      override mark(): void {
        seen.push('mark');
      }
      expire(lateness: number): void {
        seen.push(`expire lateness=${lateness}`);
      }
    }
    queue.add(new Recording());
    clock.increment(160);
    expect(seen).toEqual(['mark']);
    await new Promise((resolve) => setImmediate(resolve));
    // 60 ms past a 100 ms deadline: held for more than half of it.
    expect(seen).toEqual(['mark', `expire lateness=${HELD}`]);
  });

  it.each([false, true])(
    'late, with answers arriving in that turn: the rest get lateAfterMs more (close() during it: %s)',
    async (closing) => {
      const { clock, queue, armed } = setup();
      const seen: string[] = [];
      queue.add(new Answered(seen));
      clock.increment(160);
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
      expect(armed.size).toBe(1);
      if (closing) {
        // close() expires what is left at once and clears the wait's timer.
        queue.expireAll();
        expect(armed.size).toBe(0);
        expect(seen).toEqual([`expire lateness=${ON_TIME}`]);
        clock.increment(lateAfterMs(100));
        expect(seen).toEqual([`expire lateness=${ON_TIME}`]);
        return;
      }
      clock.increment(lateAfterMs(100) - 1);
      expect(seen).toEqual([]);
      clock.increment(1);
      expect(seen).toEqual([`expire lateness=${HELD}`]);
      expect(armed.size).toBe(0);
    },
  );

  it('late, with answers arriving, but more than a slice due (a burst): no wait, a slice a turn', async () => {
    const { clock, queue } = setup();
    const seen: string[] = [];
    for (let i = 0; i < EXPIRE_SLICE + 1; i++) queue.add(new Answered(seen));
    clock.increment(160);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.length).toBe(EXPIRE_SLICE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.length).toBe(EXPIRE_SLICE + 1);
  });

  it('close() (expireAll) cancels a pending turn: nothing expires twice', async () => {
    const { clock, queue, expired, add } = setup();
    add('a');
    clock.increment(160);
    queue.expireAll();
    expect(expired).toEqual(['a']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(expired).toEqual(['a']);
  });
});
