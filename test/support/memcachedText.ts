import { once } from 'node:events';
import net from 'node:net';

/**
 * Talks to a memcached directly, over its text protocol on a connection of its own, bypassing the
 * client under test and any proxy: seed data, check that a write landed, read the server's counters.
 */
async function exchange(port: number, request: string | Buffer, done: (reply: Buffer) => boolean): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setTimeout(2000, () => socket.destroy(new Error(`no reply from memcached on ${port}`)));
  await once(socket, 'connect');
  socket.write(request);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of socket) {
      chunks.push(chunk as Buffer);
      if (done(Buffer.concat(chunks))) break;
    }
  } finally {
    socket.destroy();
  }
  return Buffer.concat(chunks);
}

/** `stats` as numbers (`curr_connections`, `total_connections`, `curr_items`, ...). */
export async function textStats(port: number): Promise<Record<string, number>> {
  const reply = await exchange(port, 'stats\r\n', (r) => r.toString('latin1').endsWith('END\r\n'));
  const stats: Record<string, number> = {};
  for (const line of reply.toString('latin1').split('\r\n')) {
    const [tag, name, value] = line.split(' ');
    if (tag === 'STAT' && name !== undefined && value !== undefined) stats[name] = Number(value);
  }
  return stats;
}

/** The stored value and flags of `key` (ASCII), or undefined on a miss. */
export async function textGet(port: number, key: string): Promise<{ value: Buffer; flags: number } | undefined> {
  const reply = await exchange(port, `get ${key}\r\n`, (r) => {
    const text = r.toString('latin1');
    return text === 'END\r\n' || (text.startsWith('VALUE ') && text.endsWith('\r\nEND\r\n') && complete(r));
  });
  if (reply.toString('latin1') === 'END\r\n') return undefined;
  const headerEnd = reply.indexOf('\r\n');
  const [, , flags, bytes] = reply.subarray(0, headerEnd).toString('latin1').split(' ');
  const value = reply.subarray(headerEnd + 2, headerEnd + 2 + Number(bytes));
  return { value: Buffer.from(value), flags: Number(flags) };
}

// A VALUE reply is whole when it holds the announced byte count plus "\r\nEND\r\n".
function complete(reply: Buffer): boolean {
  const headerEnd = reply.indexOf('\r\n');
  const bytes = Number(reply.subarray(0, headerEnd).toString('latin1').split(' ')[3]);
  return reply.length >= headerEnd + 2 + bytes + 7;
}

/** Stores `value` under `key` (ASCII); throws unless memcached answers STORED. */
export async function textSet(port: number, key: string, value: Buffer, flags = 0): Promise<void> {
  const request = Buffer.concat([
    Buffer.from(`set ${key} ${flags} 0 ${value.length}\r\n`, 'latin1'),
    value,
    Buffer.from('\r\n'),
  ]);
  const reply = await exchange(port, request, (r) => r.includes('\r\n'));
  if (reply.toString('latin1') !== 'STORED\r\n') throw new Error(`set ${key}: ${reply.toString('latin1')}`);
}

/** memcached's answer to `mg <key> t`, without its CRLF: `HD t<seconds left>` (`t-1`: no expiry), or `EN`. */
export async function metaTtl(port: number, key: string): Promise<string> {
  const reply = await exchange(port, `mg ${key} t\r\n`, (r) => r.includes('\r\n'));
  return reply.toString('latin1').trim();
}
