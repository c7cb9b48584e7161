import type { FaultMode } from './FaultMode';
import type { Holds, ProxyLink } from './ProxyLink';

/**
 * Does to one chunk of memcached's response what `mode` says: forwards it to the client now, later,
 * byte by byte, partly, or not at all. Returns false when the link must be dropped (the client's
 * side was reset or cut).
 */
export function forwardResponse(link: ProxyLink, chunk: Buffer, mode: FaultMode, holds: Holds): boolean {
  const client = link.client;
  switch (mode.kind) {
    case 'pass':
      link.write(chunk);
      return true;
    case 'blackhole':
    case 'refuse':
      return true;
    case 'reset':
      client.resetAndDestroy();
      return false;
    case 'cut': {
      const room = mode.afterBytes - link.responseBytes;
      if (room > 0) client.write(chunk.subarray(0, room));
      link.responseBytes += chunk.length;
      if (link.responseBytes < mode.afterBytes) return true;
      client.destroy();
      return false;
    }
    case 'delay':
      link.enqueue(async () => {
        await holds.wait(mode.ms);
        client.write(chunk);
      });
      return true;
    case 'trickle':
      link.enqueue(async () => {
        for (let i = 0; i < chunk.length && !client.destroyed; i++) {
          client.write(chunk.subarray(i, i + 1));
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
      return true;
    case 'partition': {
      // Held from its arrival, not from its turn in the queue: see Holds.hold.
      const healed = holds.hold();
      link.enqueue(async () => {
        await healed;
        client.write(chunk);
      });
      return true;
    }
    case 'latency': {
      const due = performance.now() + mode.ms;
      link.enqueue(async () => {
        await holds.wait(due - performance.now());
        client.write(chunk);
      });
      return true;
    }
  }
}
