import type { TimeoutError } from '../core/errors';

/**
 * Something with a deadline: subclass it and `add` it to a queue. The queue links the objects
 * themselves (no entry or closure per deadline: on the hot path a call is one object).
 */
export abstract class Deadline {
  /** When it expires, in the clock's milliseconds; set by `add`. */
  at = 0;
  prev: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  list: DeadlineList | undefined = undefined;
  /**
   * Called once when the deadline passes, unless it was deleted first. `lateness`: ON_TIME, or
   * LATE when the queue noticed it late (its timer fired late, or it was left for a later slice),
   * so the process, not only the peer, was slow, and the sockets have had the event loop since
   * `mark()`; HELD when it expires half its length or more past its deadline (the event
   * loop was held for most of its time). `error` is shared by every deadline of that length
   * expired in the same sweep (one stack trace per sweep, not per call).
   */
  abstract expire(lateness: Lateness, error: TimeoutError): void;
  /** Called on a due deadline when the queue gives the sockets time before expiring it. */
  mark(): void {}
  /** Whether its connection has received anything since `mark()` (answers are flowing). */
  heardSinceMark(): boolean {
    return false;
  }
}

export const ON_TIME = 0;
export const LATE = 1;
export const HELD = 2;
export type Lateness = typeof ON_TIME | typeof LATE | typeof HELD;

/**
 * The deadlines of one length, linked through the deadlines themselves: they expire in the order
 * they were added, so the head is always the earliest.
 */
export class DeadlineList {
  head: Deadline | undefined = undefined;
  tail: Deadline | undefined = undefined;
  size = 0;
  /** The error of this length's expiries in the current sweep (one stack trace per sweep). */
  error: TimeoutError | undefined = undefined;
  constructor(readonly ms: number) {}

  /** Appends `entry`, due at `at`. */
  push(entry: Deadline, at: number): void {
    entry.at = at;
    entry.list = this;
    entry.prev = this.tail;
    if (this.tail === undefined) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
    this.size++;
  }

  /** Unlinks `entry`, which is in this list. */
  unlink(entry: Deadline): void {
    entry.list = undefined;
    if (entry.prev === undefined) this.head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) this.tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.size--;
  }
}
