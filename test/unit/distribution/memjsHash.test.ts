import memjs from 'memjs';
import { describe, expect, it } from 'vitest';
import { memjsHash } from '../../../src/distribution/memjsHash';

interface MemjsClient {
  getServer(key: string): number;
}
const { Client } = memjs as unknown as { Client: { create(servers: string, options: object): MemjsClient } };

const keys = [
  ...Array.from({ length: 500 }, (_, i) => `key:${i}`),
  'héllo',
  '日本語',
  '😀',
  'a'.repeat(250),
  // A string whose 31-hash is -2^31: memjs takes Math.abs of it, which stays positive as a double.
  'polygenelubricants',
];

describe('memjs: memjs’s own hashCode(key) % n', () => {
  it.each([2, 3, 5])('picks what a real memjs client with %i servers picks', (n) => {
    const addresses = Array.from({ length: n }, (_, i) => `10.0.0.${i + 1}:11211`);
    // Creating a memjs client opens no socket.
    const client = Client.create(addresses.join(','), { logger: { log() {} } });
    const pick = memjsHash(addresses.map((_, i) => ({ host: `10.0.0.${i + 1}`, port: 11211, weight: 1 })));
    for (const key of keys) expect(pick(key)).toBe(client.getServer(key));
  });

  it('a server of weight w fills w buckets', () => {
    const client = Client.create('a:1,b:1,b2:1', { logger: { log() {} } });
    const pick = memjsHash([
      { host: 'a', port: 1, weight: 1 },
      { host: 'b', port: 1, weight: 2 },
    ]);
    for (const key of keys) expect(pick(key)).toBe([0, 1, 1][client.getServer(key)]);
  });
});
