import { type Clock, lateAfterMs } from '../core/clock';
import { TimeoutError } from '../core/errors';
import { SETTLE_SLICE } from '../core/inSlices';
import { type Deadline, DeadlineList, HELD, LATE, ON_TIME } from './Deadline';

/** At most this many deadlines expire in one turn of the event loop. */
export const EXPIRE_SLICE = SETTLE_SLICE;
/** A slice doubles, up to MAX_SLICE, while what is left of it is this far past due. */
const FALLING_BEHIND_MS = 50;
const MAX_SLICE = EXPIRE_SLICE * 64;

/**
 * Deadlines grouped by length, each length a FIFO list, so the earliest deadline is always one of
 * the lists' heads. One timer serves them all (armed for the earliest), instead of a timer per
 * call: on the healthy path a call costs a list insert and unlink, not a timer set and clear.
 * memjs's own socket timeout is not enough: a socket that closes cleanly never fails the calls
 * pending on it (memjs #162). Calls nearly all have the client's `timeoutMs`; a per-call
 * `timeoutMs` adds a list for its length while it has deadlines in it.
 *
 * A doubly linked list, not a Map keyed by id: a Map's entries keep every call's objects alive long
 * enough to be promoted out of the young generation; the list does not.
 *
 * When the timer fires late (the event loop was held: a long synchronous stretch, a burst of
 * calls), the sockets get one turn of the event loop (setImmediate, after the poll phase has read
 * what arrived) before anything expires: answers that sat unread settle the calls first.
 * If answers came in that turn, they get `lateAfterMs` (2-10 ms) more: the requests the hold
 * kept unwritten left only when it ended, and one turn raced memcached (docs/reliability.md).
 *
 * Many expiries at once are settled in slices, each in its own turn: EXPIRE_SLICE, doubled for
 * each next turn while what is left is more than FALLING_BEHIND_MS past due. A fixed
 * slice could not keep up with a caller that adds calls faster than it expires them: the backlog
 * would grow, and calls would expire ever further past their deadlines (docs/performance.md).
 */
export class DeadlineQueue {
  readonly #clock: Clock;
  readonly #default: DeadlineList;
  /** Lists of other lengths, only while they hold deadlines. */
  readonly #others = new Map<number, DeadlineList>();
  /** How late the timer may fire and still count as on time. */
  readonly #lateAfterMs: number;
  #size = 0;
  #timer: unknown = undefined;
  #dueAt = 0;
  // Cancels the turn the sockets are given before the next expiries (see the class comment).
  #turn: (() => void) | undefined = undefined;
  /** How many may expire in the next slice (see the class comment). */
  #slice = EXPIRE_SLICE;
  readonly #afterSlice: () => void;

  /** `afterSlice`: called once each run of expiries is over (what they reported can be sent together). */
  constructor(clock: Clock, timeoutMs: number, afterSlice: () => void = () => {}) {
    this.#clock = clock;
    this.#afterSlice = afterSlice;
    this.#default = new DeadlineList(timeoutMs);
    this.#lateAfterMs = lateAfterMs(timeoutMs);
  }

  /** Calls `entry.expire()` `timeoutMs` (default: the queue's) after now, unless `delete(entry)` comes first. */
  add(entry: Deadline, timeoutMs?: number): void {
    const list = timeoutMs === undefined || timeoutMs === this.#default.ms ? this.#default : this.#listOf(timeoutMs);
    const at = this.#clock.now() + list.ms;
    list.push(entry, at);
    this.#size++;
    // The timer is not cleared when calls finish early, so it only ever runs late, never busy;
    // it is moved only for a deadline earlier than it (a shorter per-call timeoutMs).
    if (this.#turn !== undefined) return;
    if (this.#timer === undefined) this.#arm(at);
    else if (at < this.#dueAt) this.#arm(at);
  }

  /** Forgets a deadline. Deleting one that expired or was deleted already does nothing. */
  delete(entry: Deadline): void {
    const list = entry.list;
    if (list === undefined) return;
    list.unlink(entry);
    this.#size--;
    if (list.size === 0 && list !== this.#default) this.#others.delete(list.ms);
  }

  get size(): number {
    return this.#size;
  }

  /** Expires every pending deadline now and stops the timer (used by close()). */
  expireAll(): void {
    this.#disarm();
    const entries: [Deadline, TimeoutError][] = [];
    for (const list of [...this.#lists()]) {
      if (list.head === undefined) continue;
      const error = new TimeoutError(list.ms);
      for (let entry: Deadline | undefined = list.head; entry !== undefined; entry = entry.next) {
        entries.push([entry, error]);
      }
    }
    for (const [entry] of entries) this.delete(entry);
    try {
      for (const [entry, error] of entries) entry.expire(ON_TIME, error);
    } finally {
      this.#afterSlice();
    }
  }

  #listOf(ms: number): DeadlineList {
    let list = this.#others.get(ms);
    if (list === undefined) {
      list = new DeadlineList(ms);
      this.#others.set(ms, list);
    }
    return list;
  }

  *#lists(): Iterable<DeadlineList> {
    yield this.#default;
    yield* this.#others.values();
  }

  /** The list whose head expires first, if any deadline is pending. */
  #earliest(): DeadlineList | undefined {
    let best = this.#default.head === undefined ? undefined : this.#default;
    if (this.#others.size === 0) return best;
    for (const list of this.#others.values()) {
      if (list.head !== undefined && (best === undefined || list.head.at < (best.head as Deadline).at)) best = list;
    }
    return best;
  }

  #arm(at: number): void {
    // An expiring callback may have added a deadline, and armed the timer, meanwhile.
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#dueAt = at;
    this.#timer = this.#clock.setTimeout(() => this.#sweep(), Math.max(0, at - this.#clock.now()));
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#turn?.();
    this.#turn = undefined;
  }

  #sweep(): void {
    this.#timer = undefined;
    if (this.#clock.now() - this.#dueAt > this.#lateAfterMs) this.#nextTurn(this.#lateAfterMs);
    else this.#expireDue(false);
  }

  // Lets the poll phase read the sockets before expiring: their answers settle calls first. The
  // deadlines due are marked, so each can tell what arrived meanwhile. `waitMs` (a late sweep's):
  // how much longer answers may take when some came in that turn.
  #nextTurn(waitMs = 0): void {
    const now = this.#clock.now();
    const limit = this.#slice;
    let marked = 0;
    for (const list of this.#lists()) {
      for (let entry = list.head; entry !== undefined && entry.at <= now && marked < limit; entry = entry.next) {
        entry.mark();
        marked++;
      }
    }
    const expire = () => {
      this.#turn = undefined;
      this.#expireDue(true);
    };
    // Not for a backlog of more than a slice (a burst of calls): it expires a slice a turn as fast
    // as it can, and waiting would hold up all of it.
    const wait = marked < limit ? waitMs : 0;
    const immediate = setImmediate(() => {
      if (wait === 0 || !this.#heardSinceMark(now)) return expire();
      const timer = this.#clock.setTimeout(expire, wait);
      this.#turn = () => this.#clock.clearTimeout(timer);
    });
    this.#turn = () => clearImmediate(immediate);
  }

  // Whether a deadline that was due at `now` (and so marked: fewer than a slice) has heard from its
  // connection since.
  #heardSinceMark(now: number): boolean {
    for (const list of this.#lists()) {
      for (let entry = list.head; entry !== undefined && entry.at <= now; entry = entry.next) {
        if (entry.heardSinceMark()) return true;
      }
    }
    return false;
  }

  #expireDue(late: boolean): void {
    try {
      this.#expireSlice(late);
    } finally {
      this.#afterSlice();
    }
  }

  #expireSlice(late: boolean): void {
    const now = this.#clock.now();
    const limit = this.#slice;
    for (const list of this.#lists()) list.error = undefined;
    let expired = 0;
    for (let list = this.#earliest(); list !== undefined; list = this.#earliest()) {
      const entry = list.head as Deadline;
      if (entry.at > now) {
        this.#slice = EXPIRE_SLICE;
        this.#arm(entry.at);
        return;
      }
      if (expired++ === limit) {
        // The rest in the next turn: the sockets and other callers get the event loop meanwhile.
        this.#slice = now - entry.at > FALLING_BEHIND_MS ? Math.min(limit * 2, MAX_SLICE) : EXPIRE_SLICE;
        this.#nextTurn();
        return;
      }
      this.delete(entry);
      list.error ??= new TimeoutError(list.ms);
      entry.expire(late ? (now - entry.at >= list.ms / 2 ? HELD : LATE) : ON_TIME, list.error);
    }
    this.#slice = EXPIRE_SLICE;
  }
}
