import { describe, expect, it } from 'vitest';
import { parseServers } from '../../../src/config/parseServers';
import { ketama } from '../../../src/distribution/ketama';
import vectors from '../../vectors/ketama-unix.json';

// ketama-unix.json was written by test/vectors/generate_unix.py from libmemcached itself: a UNIX
// socket server is added with port 0 (memcached_server_add_unix_socket_with_weight, which pylibmc
// and php-memcached call for a path), so its points are the MD5 of `path:0-d`.
describe('ketama places UNIX socket servers as libmemcached does', () => {
  it.each(vectors.rings.map((ring) => [ring.name, ring] as const))('%s', (_, ring) => {
    // Through the parser, as the client builds its ring: `path` and `unix:path` alike.
    const servers = parseServers(
      ring.servers.map((s, i) => ({
        address: i % 2 === 0 || !s.address.startsWith('/') ? s.address : `unix:${s.address}`,
        weight: s.weight,
      })),
    ).map((s) => ({ host: s.host, port: s.port, weight: s.weight ?? 1 }));
    const pick = ketama(servers);
    const got = vectors.keys.map((key) => pick(key));
    expect(got).toEqual(ring.owners);
    expect(new Set(got).size).toBe(ring.servers.length);
  });
});
