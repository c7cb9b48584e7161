import { writeUtf8 } from './writeUtf8';

/** What `writeInPlace` needs of a TickWriter: room in its buffer, and the request committed. */
export interface InPlace {
  readonly slab: Buffer;
  reserve(bytes: number): number;
  commit(bytes: number): void;
}

/**
 * Builds `head`, `body` and `tail` in the writer's buffer as one request. At most 3 UTF-8 bytes per
 * UTF-16 unit: room for the text is reserved for that, and the request committed at the length it took.
 */
export function writeInPlace(writer: InPlace, head: string, body: Buffer, tail: string): void {
  const at = writer.reserve(3 * (head.length + tail.length) + body.length);
  const slab = writer.slab;
  let end = writeUtf8(slab, at, head);
  // TypedArray#set, not Buffer#copy: the cheaper of the two for small values.
  slab.set(body, end);
  end += body.length;
  end = writeUtf8(slab, end, tail);
  writer.commit(end - at);
}
