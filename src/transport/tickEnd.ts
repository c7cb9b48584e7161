import type { Socket } from 'node:net';

/**
 * When a socket's TickWriter writes the requests its tick held: after the current run of
 * JavaScript, or over TLS at the event loop's next turn. Node delivers each TLS record a server
 * sends in a run of its own (memcached sends one per text `get`, and one per few requests of the
 * other protocols), so a write per run would answer them with as many small records, each
 * encrypted, written and completed on its own; over plain TCP the kernel joins what arrives.
 */
export function tickEnd(socket: Socket): (write: () => void) => void {
  return (socket as { encrypted?: boolean }).encrypted === true ? setImmediate : process.nextTick;
}
