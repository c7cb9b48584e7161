import type { WireAnswer } from '../connection/WireRequest';
import { uint32At } from './binaryProtocol';

// A binary-protocol response as memjs's callbacks read it, and the one this adapter hands them.
export interface MemjsResponse {
  readonly header: {
    readonly opcode: number;
    readonly status: number;
    readonly totalBodyLength: number;
    readonly opaque: number;
  };
  readonly key: Buffer;
  readonly extras: Buffer;
  readonly val: Buffer;
}

/**
 * A response read where it arrived: the header fields are read once, key/extras/val become Buffer
 * views only when asked for (a multi-get reads a hit's flags and key without them). It is its own
 * `header`, so memjs's callbacks (which read header.status, header.opcode, header.totalBodyLength)
 * work on it unchanged.
 */
export class InPlaceResponse implements MemjsResponse, WireAnswer {
  constructor(
    readonly opcode: number,
    readonly status: number,
    readonly totalBodyLength: number,
    readonly opaque: number,
    readonly buf: Buffer,
    readonly extrasAt: number,
    readonly keyAt: number,
    readonly valAt: number,
    readonly end: number,
  ) {}

  get header(): this {
    return this;
  }

  /** The request id it carries (WireAnswer): the opaque. */
  get id(): number {
    return this.opaque;
  }

  describe(): string {
    return `opaque ${this.opaque}`;
  }

  get extras(): Buffer {
    return this.buf.subarray(this.extrasAt, this.keyAt);
  }

  get key(): Buffer {
    return this.buf.subarray(this.keyAt, this.valAt);
  }

  get val(): Buffer {
    return this.buf.subarray(this.valAt, this.end);
  }

  /** The 32-bit flags of a GET-like response (the first 4 bytes of extras), 0 when absent. */
  flags(): number {
    return this.keyAt - this.extrasAt >= 4 ? uint32At(this.buf, this.extrasAt) : 0;
  }

  /** The header's 64-bit CAS value, exactly. */
  cas(): bigint {
    return this.buf.readBigUInt64BE(this.extrasAt - 8);
  }

  /** Whether the key is `key`: ASCII keys are compared in place, others decoded. */
  keyIs(key: string): boolean {
    const length = this.valAt - this.keyAt;
    // UTF-8 never takes fewer bytes than UTF-16 takes units.
    if (length < key.length) return false;
    if (length === key.length) {
      const buf = this.buf;
      let i = 0;
      for (; i < length; i++) {
        const c = key.charCodeAt(i);
        if (c > 0x7f) break;
        if (buf[this.keyAt + i] !== c) return false;
      }
      if (i === length) return true;
    }
    return this.key.toString('utf8') === key;
  }
}
