import type { Item } from '../api/Item';
import type { ConnectionSlot } from '../connection/ConnectionSlot';
import { ServerError } from '../core/errors';
import type { KeyBytes } from '../core/KeyBytes';
import type { Outcome } from '../port/Outcome';
import { GetBatch, type GetBatchOwner } from './GetBatch';
import type { TextConnection } from './textConnection';
import { lastRequest, OneRetrieval } from './textRequests';
import { writeGet } from './textWrites';

/**
 * A text port's single-key gets: those of one tick join one `get k1 k2 ...` line (GetBatch), since
 * memcached sends each classic answer in a write of its own, and one line of many keys in one. The
 * line is one request among the connection's others, in their order: a request written after it
 * closes it. The line leaves at the end of its tick, even the tick's first get (LateText).
 *
 * A proxy refuses a line of several keys as a whole when one key's backend is down (twemproxy
 * answers one `SERVER_ERROR`, then closes the connection). Reads are idempotent, so then each key
 * of the line goes again, alone on its line, on the port's next connection; the requests in flight
 * behind it keep the answers the proxy sends before it closes the connection; those it closes the
 * connection on are re-sent (gets of this kind) or answer a refusal (`ServerError`: not a failure of
 * the proxy, so it never counts). From then on this port sends one key per line.
 */
export class CoalescedGets implements GetBatchOwner {
  readonly #slot: ConnectionSlot<TextConnection>;
  readonly #server: string;
  // The line callers may still join, if it has not left.
  #open: GetBatch | undefined = undefined;
  // A line of several keys was refused: one key per line from then on.
  #singles = false;
  // The connections retired (`retire`), and the errors that end them: their gets are sent again.
  readonly #retired = new WeakSet<TextConnection>();
  readonly #retirements = new WeakSet<Error>();

  constructor(slot: ConnectionSlot<TextConnection>, server: string) {
    this.#slot = slot;
    this.#server = server;
  }

  /** Gets `key` for `outcome`, joining this tick's line when there is one with room. */
  get(key: string, outcome: Outcome<Item | undefined>, kept?: KeyBytes): void {
    const connection = this.#slot.current((err) => outcome.failed(err));
    if (connection === undefined) return;
    if (this.#singles) {
      sendAlone(connection, key, outcome);
      return;
    }
    const keyBytes = kept?.holds(key) ? key.length : Buffer.byteLength(key);
    const open = this.#open;
    if (open !== undefined && open.connection === connection && open.join(key, keyBytes, outcome)) return;
    const batch = new GetBatch(this, connection, key, keyBytes, outcome);
    const writer = connection.expect(batch);
    if (writer === undefined) return;
    this.#open = batch;
    writer.writeLate(batch);
  }

  refused(batch: GetBatch): void {
    this.retire(batch.connection);
    for (const [key, outcome] of batch.unanswered()) this.resend(key, outcome);
  }

  resends(err: Error): boolean {
    return this.#retirements.has(err);
  }

  resend(key: string, outcome: Outcome<Item | undefined>): void {
    const connection = this.#slot.current((err) => outcome.failed(err));
    if (connection !== undefined) sendAlone(connection, key, outcome);
  }

  /**
   * A line of several keys was refused by an error line (a getMulti's, or a line of gets): the next
   * requests go to a new connection, and this one ends after the answers it owes (a `version` last),
   * or when the proxy closes it (see the class comment).
   */
  retire(connection: TextConnection): void {
    this.#singles = true;
    if (this.#retired.has(connection)) return;
    this.#retired.add(connection);
    this.#slot.retire(connection);
    const err = new ServerError(
      new Error(`${this.#server} refused a line of several keys, then closed the connection before this answer`),
    );
    this.#retirements.add(err);
    connection.endsWith(err);
    connection.expect(lastRequest(() => connection.destroy(err)))?.write('version\r\n');
  }
}

/** `key` on a line of its own. */
function sendAlone(connection: TextConnection, key: string, outcome: Outcome<Item | undefined>): void {
  const writer = connection.expect(new OneRetrieval('get', key, false, outcome));
  if (writer !== undefined) writeGet(writer, key);
}
