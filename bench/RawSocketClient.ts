import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ThroughputSample } from './measure';

const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * No client at all: one `node:net` or `node:tls` socket sending meta gets of one key in batches and
 * counting the answers, to measure what the socket itself costs per call. A batch of `depth`
 * requests goes out in one write, the next once all of its answers are in; nothing else runs per
 * call but finding where each answer ends. Not a client to use: a yardstick for what Node's TLS
 * costs, whatever client sits on it.
 */
export class RawSocketClient {
  readonly #socket: Socket;
  // The start of a header line that a chunk cut off, until its end arrives.
  #partial: Buffer | undefined;
  // Bytes of the current value (and its CRLF) still to come.
  #body = 0;
  #outstanding = 0;
  #answered = 0;
  #misses = 0;
  #onBatch: () => void = () => {};
  #broken: ((err: Error) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    const fail = (err: Error) => this.#broken?.(err);
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the raw socket closed')));
  }

  /** A socket to `host:port`, plain or (with `ca`) TLS checked against `ca`, once bytes may flow. */
  static async connect(address: string, tls?: { readonly ca: string | Buffer }): Promise<RawSocketClient> {
    const colon = address.lastIndexOf(':');
    const host = address.slice(0, colon);
    const port = Number(address.slice(colon + 1));
    const socket = tls ? tlsConnect({ host, port, ca: tls.ca }) : netConnect({ host, port });
    await once(socket, tls ? 'secureConnect' : 'connect');
    return new RawSocketClient(socket);
  }

  /**
   * `depth` gets of `key` in flight for `durationMs`: the first batch at once, each next one when
   * the answers of the last are complete, until the time is up and the last batch is answered. A
   * miss counts as a failed call.
   */
  async round(key: string, depth: number, durationMs: number): Promise<ThroughputSample> {
    const batch = Buffer.from(`mg ${key} v\r\n`.repeat(depth), 'latin1');
    let stop = false;
    const finished = new Promise<void>((resolve, reject) => {
      this.#broken = reject;
      this.#onBatch = () => {
        if (stop) resolve();
        else this.#send(batch, depth);
      };
    });
    this.#answered = 0;
    this.#misses = 0;
    const timer = setTimeout(() => {
      stop = true;
    }, durationMs);
    const start = performance.now();
    const cpuAtStart = process.cpuUsage();
    this.#send(batch, depth);
    try {
      await finished;
    } finally {
      clearTimeout(timer);
      this.#broken = undefined;
    }
    const cpu = process.cpuUsage(cpuAtStart);
    const calls = this.#answered;
    return {
      rate: calls / ((performance.now() - start) / 1000),
      failed: this.#misses,
      cpuPerCall: (cpu.user + cpu.system) / calls,
    };
  }

  close(): void {
    this.#broken = undefined;
    this.#socket.destroy();
  }

  #send(batch: Buffer, depth: number): void {
    this.#outstanding = depth;
    this.#socket.write(batch);
  }

  #read(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#body > 0) {
        const take = Math.min(this.#body, chunk.length - pos);
        this.#body -= take;
        pos += take;
        if (this.#body === 0) this.#answer();
        continue;
      }
      const newline = chunk.indexOf(LF, pos);
      if (newline < 0) {
        const rest = chunk.subarray(pos);
        this.#partial = this.#partial ? Buffer.concat([this.#partial, rest]) : Buffer.from(rest);
        return;
      }
      if (this.#partial) {
        const line = Buffer.concat([this.#partial, chunk.subarray(pos, newline + 1)]);
        this.#partial = undefined;
        this.#header(line, 0, line.length - 1);
      } else this.#header(chunk, pos, newline);
      pos = newline + 1;
    }
  }

  /** The header line at buf[start, newline): `VA <size> ...` (a value follows) or `EN` (a miss). */
  #header(buf: Buffer, start: number, newline: number): void {
    if (buf[start] === 86 && buf[start + 1] === 65 && buf[start + 2] === SPACE) {
      let size = 0;
      for (let i = start + 3; i < newline; i++) {
        const byte = buf[i]!;
        if (byte === CR || byte === SPACE) break;
        size = size * 10 + byte - 48;
      }
      this.#body = size + 2;
      return;
    }
    if (buf[start] === 69 && buf[start + 1] === 78 && newline === start + 3) {
      this.#misses++;
      this.#answer();
      return;
    }
    const line = buf.toString('latin1', start, buf[newline - 1] === CR ? newline - 1 : newline);
    this.#broken?.(new Error(`the raw socket got an answer it does not expect: ${JSON.stringify(line)}`));
  }

  #answer(): void {
    this.#answered++;
    if (--this.#outstanding === 0) this.#onBatch();
  }
}
