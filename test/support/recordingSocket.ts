import type { Socket } from 'node:net';
import type { TickWriter } from '../../src/transport/TickWriter';

/** A socket that records what is written to it, as strings. */
export function socket() {
  const writes: string[] = [];
  const s = { writable: true, write: (b: string | Buffer) => writes.push(String(b)) > 0, cork() {}, uncork() {} };
  return { socket: s as unknown as Socket, writes };
}

/** Builds `text` in place in the writer's buffer, as the adapters build their hot requests. */
export function inPlace(writer: TickWriter, text: string): void {
  const at = writer.reserve(text.length);
  writer.slab.write(text, at, 'latin1');
  writer.commit(text.length);
}

export const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
