/**
 * The request ids (the binary protocol's 32-bit `opaque`) of one port. memjs 1.3.2 numbers its
 * requests with `seq &= 0xffffffff`, which turns negative after 2^31 - 1 requests: memcached echoes
 * the id as an unsigned number, no callback matches it, and every later call on that connection
 * timed out. This counter wraps with `>>> 0`, so every id it hands out is a valid
 * unsigned 32-bit value and equals the one read back from the response, forever. It skips 0, the
 * opaque memjs's own SASL requests carry.
 */
export class RequestIds {
  #last: number;

  /** `first` is for tests that start next to the wrap: the first id handed out. */
  constructor(first = 1) {
    this.#last = (first - 1) >>> 0;
  }

  next(): number {
    const id = (this.#last + 1) >>> 0;
    this.#last = id === 0 ? 1 : id;
    return this.#last;
  }
}
