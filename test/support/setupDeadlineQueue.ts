import { SimulatedClock } from 'xstate';
import { Deadline } from '../../src/engine/Deadline';
import { DeadlineQueue } from '../../src/engine/DeadlineQueue';

class Named extends Deadline {
  constructor(readonly onExpire: () => void) {
    super();
  }
  expire(): void {
    this.onExpire();
  }
}

/** A deadline that calls `onExpire` when it expires. */
export function deadline(onExpire: () => void): Deadline {
  return new Named(onExpire);
}

/** A DeadlineQueue on a simulated clock that counts the timers it has armed; `add` names each deadline. */
export function setupDeadlineQueue(timeoutMs = 100) {
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
