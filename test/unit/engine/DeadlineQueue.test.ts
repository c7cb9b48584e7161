import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { Deadline, DeadlineQueue } from '../../../src/engine/DeadlineQueue';

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

  // Issue 11 #9: a mutant expiring calls 1 ms early was caught only by chance. Deadlines added at
  // irregular times, the clock moved 1 ms at a time: each expires exactly timeoutMs after its add.
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
});
