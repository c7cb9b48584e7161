import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { lateAfterMs } from '../../../src/core/clock';
import { Deadline, HELD, ON_TIME } from '../../../src/engine/Deadline';
import { DeadlineQueue, EXPIRE_SLICE } from '../../../src/engine/DeadlineQueue';

class Named extends Deadline {
  constructor(readonly onExpire: () => void) {
    super();
  }
  expire(): void {
    this.onExpire();
  }
}

function deadline(onExpire: () => void): Named {
  return new Named(onExpire);
}

function setup(timeoutMs = 100) {
  const clock = new SimulatedClock();
  // The timers the queue has armed and not cleared or seen fire.
  const armed = new Set<unknown>();
  const counting = {
    now: () => clock.now(),
    setTimeout(fn: () => void, ms: number) {
      const id: unknown = clock.setTimeout(() => {
        armed.delete(id);
        fn();
      }, ms);
      armed.add(id);
      return id;
    },
    clearTimeout(id: unknown) {
      armed.delete(id);
      clock.clearTimeout(id as number);
    },
  };
  const queue = new DeadlineQueue(counting, timeoutMs);
  const expired: string[] = [];
  const add = (name: string) => {
    const entry = deadline(() => expired.push(name));
    queue.add(entry);
    return entry;
  };
  return { clock, queue, expired, add, armed };
}

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
  it('expires each deadline timeoutMs after it was added, oldest first', () => {
    const { clock, queue, expired, add } = setup();
    add('a');
    clock.increment(30);
    add('b');
    clock.increment(69);
    expect(expired).toEqual([]);
    clock.increment(1);
    expect(expired).toEqual(['a']);
    clock.increment(29);
    expect(expired).toEqual(['a']);
    clock.increment(1);
    expect(expired).toEqual(['a', 'b']);
    expect(queue.size).toBe(0);
  });

  // Deadlines added at irregular times, the clock moved 1 ms at a time: each expires exactly
  // timeoutMs after its add, so expiring 1 ms early fails every time, not by chance.
  it('never expires a deadline even 1 ms early, nor late, wherever the timer was armed', () => {
    const { clock, queue } = setup();
    const addedAt = [0, 1, 1, 2, 3, 50, 99, 100, 101, 102, 150, 199];
    const expiredAt = new Map<number, number>();
    for (let t = 0; t <= 400; t++) {
      addedAt.forEach((at, i) => {
        if (at === t) queue.add(deadline(() => expiredAt.set(i, clock.now())));
      });
      clock.increment(1);
    }
    expect(addedAt.map((_, i) => expiredAt.get(i))).toEqual(addedAt.map((at) => at + 100));
  });

  it('never expires a deleted deadline, wherever it sits in the queue', () => {
    const { clock, queue, expired, add } = setup();
    const a = add('a');
    const b = add('b');
    const c = add('c');
    queue.delete(b);
    queue.delete(a);
    expect(queue.size).toBe(1);
    clock.increment(100);
    expect(expired).toEqual(['c']);
    queue.delete(c);
    queue.delete(a);
    expect(queue.size).toBe(0);
  });

  it('keeps working after it emptied: the next deadline arms the timer again', () => {
    const { clock, queue, expired, add } = setup();
    queue.delete(add('a'));
    clock.increment(100);
    add('b');
    clock.increment(99);
    expect(expired).toEqual([]);
    clock.increment(1);
    expect(expired).toEqual(['b']);
  });

  it('expireAll settles every pending deadline at once and stops the timer', () => {
    const { clock, queue, expired, add, armed } = setup();
    add('a');
    add('b');
    expect(armed.size).toBe(1);
    queue.expireAll();
    expect(expired).toEqual(['a', 'b']);
    expect(queue.size).toBe(0);
    expect(armed.size).toBe(0);
    clock.increment(1000);
    expect(expired).toEqual(['a', 'b']);
  });

  it('lets an expiring callback add a deadline of its own', () => {
    const { clock, queue, expired } = setup();
    queue.add(
      deadline(() => {
        expired.push('a');
        queue.add(deadline(() => expired.push('a2')));
      }),
    );
    clock.increment(100);
    expect(expired).toEqual(['a']);
    clock.increment(100);
    expect(expired).toEqual(['a', 'a2']);
  });

  it('keeps one FIFO per length: a shorter deadline added later expires first', () => {
    const { clock, queue, armed } = setup();
    const expired: string[] = [];
    queue.add(deadline(() => expired.push('100')));
    queue.add(
      deadline(() => expired.push('30')),
      30,
    );
    queue.add(
      deadline(() => expired.push('300')),
      300,
    );
    expect(armed.size).toBe(1);
    clock.increment(30);
    expect(expired).toEqual(['30']);
    clock.increment(70);
    expect(expired).toEqual(['30', '100']);
    clock.increment(199);
    expect(expired).toEqual(['30', '100']);
    clock.increment(1);
    expect(expired).toEqual(['30', '100', '300']);
    expect(queue.size).toBe(0);
  });

  it('shares one TimeoutError per length per sweep', () => {
    const { clock, queue } = setup();
    const errors: unknown[] = [];
    class Recording extends Deadline {
      expire(_lateness: number, error: unknown): void {
        errors.push(error);
      }
    }
    for (let i = 0; i < 3; i++) queue.add(new Recording());
    queue.add(new Recording(), 100);
    clock.increment(100);
    expect(errors).toHaveLength(4);
    expect(new Set(errors).size).toBe(1);
    expect(String(errors[0])).toMatch(/did not answer within 100 ms/);
  });

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
