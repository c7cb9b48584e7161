import type { Socket } from 'node:net';

/**
 * Whether a socket's TickWriter, while other requests await answers, holds a request until the
 * event loop's turn ends rather than until the current run of JavaScript ends: over TLS. Node
 * delivers each TLS record a server sends in a run of its own (memcached sends one per text `get`,
 * and one per few requests of the other protocols), so writing at the end of each run would answer
 * them with as many small records, each encrypted, written and completed on its own; over plain
 * TCP the kernel joins what arrives into one read.
 */
export function waitsForTurn(socket: Socket): boolean {
  return (socket as { encrypted?: boolean }).encrypted === true;
}
