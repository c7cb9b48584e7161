import { connect } from 'node:net';

/** An answer longer than this is not a cluster configuration: the connection is dropped. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const END = Buffer.from('END\r\n');
const ERROR_LINE = /^(ERROR|CLIENT_ERROR|SERVER_ERROR)[^\n]*\r\n$/;

/**
 * Sends `config get cluster` to an ElastiCache configuration endpoint and resolves with its whole
 * answer (through `END\r\n`, or an error line). Rejects when the endpoint cannot be reached or
 * closes before answering; `signal` (the poll's deadline, or close()) destroys the socket.
 */
export function queryConfigEndpoint(host: string, port: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.unref();
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (err: Error | undefined, answer?: Buffer) => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      if (err) reject(err);
      else resolve(answer as Buffer);
    };
    const abort = () => finish(new Error(`the configuration endpoint ${host}:${port} did not answer in time`));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write('config get cluster\r\n'));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      const answer = Buffer.concat(chunks, length);
      if (ERROR_LINE.test(answer.toString('latin1', 0, Math.min(answer.length, 1024))))
        return finish(undefined, answer);
      if (answer.length >= END.length && answer.subarray(-END.length).equals(END)) return finish(undefined, answer);
      if (length > MAX_CONFIG_BYTES) finish(undefined, answer);
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () =>
      finish(new Error(`the configuration endpoint ${host}:${port} closed the connection before END`)),
    );
  });
}
