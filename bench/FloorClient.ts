import net from 'node:net';

/**
 * The floor: the least a Node memcached client can do per call, to measure every client's distance
 * to it. One socket, meta commands, requests of a tick joined into one write, answers matched by
 * order. No deadlines, no validation, no reconnecting, no error handling beyond failing everything:
 * not a client to use, a yardstick.
 */
export class FloorClient {
  readonly #socket: net.Socket;
  // Each answers true once its request has all of its answers.
  readonly #waiting: ((line: string, value: Buffer | undefined) => boolean)[] = [];
  #head = 0;
  #out = '';
  #pieces: (string | Buffer)[] = [];
  #scheduled = false;
  #rest: Buffer | undefined;

  constructor(host: string, port: number) {
    this.#socket = net.connect({ host, port });
    this.#socket.setNoDelay(true);
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('error', () => {});
  }

  get(key: string): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      this.#waiting.push((line, value) => {
        resolve(line.startsWith('VA') ? value : undefined);
        return true;
      });
      this.#write(`mg ${key} v\r\n`);
    });
  }

  set(key: string, value: Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      this.#waiting.push((line) => {
        resolve(line === 'HD');
        return true;
      });
      this.#write(`ms ${key} ${value.length}\r\n`, value);
    });
  }

  /** Quiet gets and one `mn`: resolves with the number of hits. */
  getMulti(keys: string[]): Promise<number> {
    return new Promise((resolve) => {
      let hits = 0;
      this.#waiting.push((line) => {
        if (line !== 'MN') {
          hits++;
          return false;
        }
        resolve(hits);
        return true;
      });
      let text = '';
      for (const key of keys) text += `mg ${key} v q\r\n`;
      this.#write(`${text}mn\r\n`);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #write(text: string, value?: Buffer): void {
    if (value === undefined) this.#out += text;
    else {
      this.#pieces.push(this.#out + text, value);
      this.#out = '\r\n';
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(() => {
      this.#scheduled = false;
      const socket = this.#socket;
      if (this.#pieces.length === 0) socket.write(this.#out);
      else {
        socket.cork();
        for (const piece of this.#pieces) socket.write(piece);
        if (this.#out !== '') socket.write(this.#out);
        socket.uncork();
        this.#pieces = [];
      }
      this.#out = '';
    });
  }

  #read(chunk: Buffer): void {
    const buf = this.#rest === undefined ? chunk : Buffer.concat([this.#rest, chunk]);
    this.#rest = undefined;
    let pos = 0;
    for (;;) {
      const newline = buf.indexOf(10, pos);
      if (newline < 0) break;
      const line = buf.toString('latin1', pos, newline - 1);
      let value: Buffer | undefined;
      let next = newline + 1;
      if (line.startsWith('VA ')) {
        const size = Number.parseInt(line.slice(3), 10);
        if (buf.length < next + size + 2) break;
        value = buf.subarray(next, next + size);
        next += size + 2;
      }
      pos = next;
      if (!this.#waiting[this.#head]!(line, value)) continue;
      this.#waiting[this.#head++] = undefined as never;
      if (this.#head === this.#waiting.length) {
        this.#waiting.length = 0;
        this.#head = 0;
      }
    }
    if (pos < buf.length) this.#rest = buf.subarray(pos);
  }
}
