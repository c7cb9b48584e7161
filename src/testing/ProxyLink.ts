import type net from 'node:net';

/** One client connection through the proxy, and its connection to memcached once opened. */
export class ProxyLink {
  upstream: net.Socket | undefined;
  /** Response bytes forwarded so far (for `cut`). */
  responseBytes = 0;
  // Response chunks are forwarded through this chain so delays and trickling keep their order.
  #tail: Promise<void> = Promise.resolve();
  // Chunks still waiting in the chain: while any are, even a `pass` chunk must queue behind them, or
  // a switch from `delay`/`trickle` back to `pass` would reorder the byte stream.
  #queued = 0;

  constructor(readonly client: net.Socket) {}

  /** Writes `chunk` to the client now, unless earlier chunks still wait: then behind them. */
  write(chunk: Buffer): void {
    if (this.#queued > 0) this.enqueue(async () => void this.client.write(chunk));
    else this.client.write(chunk);
  }

  /** Runs `forward` once every chunk queued before it has gone out. */
  enqueue(forward: () => Promise<void>): void {
    this.#queued++;
    this.#tail = this.#tail
      .then(forward)
      // A failed forward (the socket went away) must not stop the chunks queued behind it.
      .catch(() => {})
      .finally(() => {
        this.#queued--;
      });
  }
}

/** The proxy's ways of holding a response back: its timers and the gate of a partition. */
export class Holds {
  readonly #timers = new Set<NodeJS.Timeout>();
  #partition: Promise<void> | undefined;
  #endPartition: (() => void) | undefined;
  #held = 0;

  /** Response chunks held by a partition, to be delivered when it ends. */
  get held(): number {
    return this.#held;
  }

  /** Resolves after `ms` (at once for 0 or less); `close` cancels it, leaving it pending. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  /**
   * Holds one chunk: resolves when the partition ends. Called when the chunk arrives (not when its
   * turn comes), so a partition that ended meanwhile cannot hold it forever.
   */
  hold(): Promise<void> {
    this.#partition ??= new Promise((resolve) => {
      this.#endPartition = resolve;
    });
    this.#held++;
    return this.#partition.then(() => {
      this.#held--;
    });
  }

  /** Ends the partition: the held chunks go out in order. */
  heal(): void {
    this.#endPartition?.();
    this.#partition = undefined;
    this.#endPartition = undefined;
  }

  close(): void {
    this.heal();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
