import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../src/engine/Deadline';
import { deadline, setupDeadlineQueue as setup } from '../../support/setupDeadlineQueue';

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
});
