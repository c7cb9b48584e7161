import zlib from 'node:zlib';

// Output is counted a chunk at a time: each chunk is one trip to zlib's thread pool, off the loop.
const CHUNK_BYTES = 64 * 1024;

/** One inflation in progress: its bytes so far, and how to stop it. */
interface Inflation {
  bytes: number;
  stop(err: Error): void;
}

/**
 * Inflates values on zlib's thread pool within two limits: `perValue` bytes for one value, and
 * `shared` bytes for every inflation in progress together, so concurrent reads of a
 * decompression bomb cannot fill memory. Past the shared limit every inflation holding at least
 * its share is stopped: bombs are stopped after about `shared` bytes of work in all, and a small
 * value read beside them is not.
 * One per codec: its reads share it, other codecs do not.
 */
export class InflateBudget {
  readonly #perValue: number;
  readonly #shared: number;
  readonly #running = new Set<Inflation>();
  #total = 0;

  constructor(perValue: number, shared: number) {
    this.#perValue = perValue;
    this.#shared = shared;
  }

  /**
   * The inflated bytes of `value` (the zlib format); rejects with a `RangeError` past a limit, and
   * with `signal`'s reason when it aborts first (the inflation stops: its bytes are given back).
   */
  inflate(value: Buffer, signal?: AbortSignal): Promise<Buffer> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Buffer>((resolve, reject) => {
      const stream = zlib.createInflate({ chunkSize: CHUNK_BYTES });
      const chunks: Buffer[] = [];
      let done = false;
      const aborted = (): void => finish(signal?.reason);
      const finish = (err: Error | undefined): void => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', aborted);
        this.#running.delete(inflation);
        this.#total -= inflation.bytes;
        if (err === undefined) {
          resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, inflation.bytes));
          return;
        }
        chunks.length = 0;
        stream.destroy();
        reject(err);
      };
      const inflation: Inflation = { bytes: 0, stop: finish };
      this.#running.add(inflation);
      signal?.addEventListener('abort', aborted);
      stream.on('data', (chunk: Buffer) => {
        if (done) return;
        chunks.push(chunk);
        inflation.bytes += chunk.length;
        this.#total += chunk.length;
        if (inflation.bytes > this.#perValue) {
          finish(new RangeError(`the value inflates past maxDecompressedBytes (${this.#perValue} bytes)`));
          return;
        }
        while (this.#total > this.#shared) this.#stopAtOrAboveShare();
      });
      stream.on('end', () => finish(undefined));
      stream.on('error', finish);
      stream.end(value);
    });
  }

  // Every inflation holding at least its share stops at once: concurrent bombs grow alike, so they
  // all go together after about `shared` bytes of work, instead of one at a time while the rest
  // keep inflating into the room each stop frees. A value below its share is left to finish.
  #stopAtOrAboveShare(): void {
    const fair = this.#total / this.#running.size;
    const error = this.#overShared();
    for (const inflation of [...this.#running]) if (inflation.bytes >= fair) inflation.stop(error);
  }

  #overShared(): RangeError {
    return new RangeError(
      `values inflating at once passed maxConcurrentDecompressedBytes (${this.#shared} bytes): this one was stopped`,
    );
  }
}
