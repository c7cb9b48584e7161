import { CR, LF } from './asciiCodes';
import { malformed } from './malformed';
import { NO_ID, type WireAnswer } from './WireRequest';

/** `code('HD')`: the first two bytes of a line as one number, as `LineResponse.code` reads it. */
export function code(status: string): number {
  return (status.charCodeAt(0) << 8) | status.charCodeAt(1);
}

const EMPTY = Buffer.alloc(0);

/** What `read` returns for a line whose end has not arrived yet. */
export const INCOMPLETE = -3;

/**
 * One answer of memcached's line protocols (classic text and meta), as `LineReader` hands it out:
 * the line (the bytes `buf[start, end)`, without its `\r\n`) and the value that followed it, if
 * any. The reader reuses one object for every answer: a handler reads what it needs before returning.
 */
export class LineResponse implements WireAnswer {
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;
  value: Buffer | undefined = undefined;
  /** The request id the line carries; the classic protocol's lines carry none. */
  id = NO_ID;
  /** The first two bytes of the line, as one number (compare with `code('HD')`); 0 for a shorter line. */
  code = 0;
  /** Where the bytes after the line (its value, or the next answer) start: after its LF. */
  next = 0;

  constructor(readonly server = 'the server') {}

  /**
   * Takes the line that starts at `buf[start]` as this answer, if it ends (LF) before `limit`, and
   * returns the size of the value that follows it: -1 when none follows, -2 when the line should
   * say a size and does not say it as digits, INCOMPLETE when its end has not arrived. The reader
   * calls it once per line, before the value arrives. A protocol reads what it needs of the line
   * in `scan`, or overrides `read` to read it while it looks for its end.
   */
  read(buf: Buffer, start: number, limit: number): number {
    let newline = start;
    while (newline < limit && buf[newline] !== LF) newline++;
    if (newline === limit) return INCOMPLETE;
    this.take(buf, start, newline > start && buf[newline - 1] === CR ? newline - 1 : newline, newline + 1);
    return this.scan();
  }

  /** Makes the line `buf[start, end)` this answer; the next answer starts at `next`. */
  protected take(buf: Buffer, start: number, end: number, next: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.next = next;
    this.value = undefined;
    this.code = end - start >= 2 ? (buf[start]! << 8) | buf[start + 1]! : 0;
  }

  /** The line as text (rare paths only: errors, stats, version). */
  get line(): string {
    return this.buf.toString('utf8', this.start, this.end);
  }

  describe(): string {
    const line = this.buf.toString('latin1', this.start, Math.min(this.end, this.start + 80));
    return JSON.stringify(this.end - this.start > 80 ? `${line}...` : line);
  }

  /** The protocol's part of `read`: the line's id and value size, and whatever its handlers read often. */
  protected scan(): number {
    return -1;
  }

  /** The error of an answer that breaks the protocol: it fails the connection. */
  malformed(what: string): Error {
    return malformed(this.server, `${what} (${this.describe()})`);
  }
}
