import type { Item } from '../api/Item';
import { isError, refusal } from '../connection/lineRequests';
import { NO_ID } from '../connection/WireRequest';
import { isPlaceholderItem } from '../port/LeasePort';
import type { Outcome } from '../port/Outcome';
import type { LateText } from '../transport/LateText';
import type { TextResponse } from './TextResponse';
import { MAX_GET_LINE_BYTES } from './textBatches';
import type { TextConnection } from './textConnection';
import type { TextRequest } from './textRequests';

/** What becomes of a batch's keys that its line did not answer (CoalescedGets). */
export interface GetBatchOwner {
  /** An error line answered the line of several keys: the keys not answered are the owner's now. */
  refused(batch: GetBatch): void;
  /** Whether a batch whose connection failed with `err` sends its keys not answered again. */
  resends(err: Error): boolean;
  /** Sends `key` again, alone on its line, for `outcome`. */
  resend(key: string, outcome: Outcome<Item | undefined>): void;
}

/**
 * The single-key gets of one tick on one connection, as one `get k1 k2 ...` line: callers join it
 * until its text is made (it leaves the writer, `LateText`), within `MAX_GET_LINE_BYTES`. memcached
 * answers each key asked, duplicates too, in order: a `VALUE` for each hit, nothing for a miss, then
 * `END`; so each `VALUE` must name one of the keys not answered yet, and the keys before it missed.
 * Each caller keeps its own outcome, delivered as soon as its answer is known. An error line is the
 * lone caller's refusal, or, for several keys, the owner's (a proxy refuses the whole line when one
 * key's backend is down); any other answer fails the connection.
 */
export class GetBatch implements TextRequest, LateText {
  readonly span = 0;
  id = NO_ID;
  readonly keys: string[];
  readonly outcomes: Outcome<Item | undefined>[];
  // The line without its CRLF, and its bytes with it.
  #line: string;
  #bytes: number;
  // Whether callers may still join: the line has not left.
  #open = true;
  // The first key not answered yet; all of them once the batch is done.
  #next = 0;

  constructor(
    readonly owner: GetBatchOwner,
    readonly connection: TextConnection,
    key: string,
    keyBytes: number,
    outcome: Outcome<Item | undefined>,
  ) {
    this.keys = [key];
    this.outcomes = [outcome];
    this.#line = `get ${key}`;
    this.#bytes = 6 + keyBytes;
  }

  /** Adds a key to the line, if it has not left and has room: false otherwise. */
  join(key: string, keyBytes: number, outcome: Outcome<Item | undefined>): boolean {
    const bytes = this.#bytes + 1 + keyBytes;
    if (!this.#open || bytes > MAX_GET_LINE_BYTES) return false;
    this.#bytes = bytes;
    this.#line += ` ${key}`;
    this.keys.push(key);
    this.outcomes.push(outcome);
    return true;
  }

  text(): string {
    this.#open = false;
    return `${this.#line}\r\n`;
  }

  handle(response: TextResponse): boolean {
    const keys = this.keys;
    if (response.isValue) {
      let i = this.#next;
      while (i < keys.length && !response.keyIs(keys[i]!)) i++;
      const key = keys[i];
      if (key === undefined) throw response.malformed('a value get did not ask for, or out of order');
      this.#missesTo(i);
      this.#next = i + 1;
      const value = response.value!;
      const flags = response.flags;
      // A fetch's placeholder (over meta, from any client) is a key being loaded, not a value.
      this.outcomes[i]!.succeeded(isPlaceholderItem(value, flags) ? undefined : { key, value, flags });
      return false;
    }
    if (response.isEnd) {
      this.#missesTo(keys.length);
      return true;
    }
    if (!isError(response) || (keys.length === 1 && this.#next > 0))
      throw response.malformed('an answer get cannot take');
    if (keys.length === 1) {
      this.#next = 1;
      this.outcomes[0]!.failed(refusal('get', response));
    } else this.owner.refused(this);
    return true;
  }

  fail(err: Error): void {
    const resend = this.owner.resends(err);
    for (const [key, outcome] of this.unanswered()) {
      if (resend) this.owner.resend(key, outcome);
      else outcome.failed(err);
    }
  }

  /** The keys not answered yet, with their callers' outcomes; the batch is done from then on. */
  unanswered(): [string, Outcome<Item | undefined>][] {
    const out: [string, Outcome<Item | undefined>][] = [];
    for (let i = this.#next; i < this.keys.length; i++) out.push([this.keys[i]!, this.outcomes[i]!]);
    this.#next = this.keys.length;
    this.#open = false;
    return out;
  }

  // The keys from the first not answered up to `end` missed.
  #missesTo(end: number): void {
    const outcomes = this.outcomes;
    for (let i = this.#next; i < end; i++) outcomes[i]!.succeeded(undefined);
    this.#next = end;
  }
}
