import { describe, expect, it } from 'vitest';
import { formatServer, parseServers } from '../../../src/config/parseServers';
import { InvalidOptionError } from '../../../src/core/errors';

describe('parseServers: UNIX socket servers', () => {
  it('reads an absolute path, or unix: and one, as a UNIX socket (port 0, as libmemcached)', () => {
    expect(parseServers(['/run/memcached/memcached.sock'])).toEqual([
      {
        id: '/run/memcached/memcached.sock',
        host: '/run/memcached/memcached.sock',
        port: 0,
        path: '/run/memcached/memcached.sock',
        weight: 1,
      },
    ]);
    expect(parseServers('unix:/tmp/mc.sock')).toEqual([
      { id: '/tmp/mc.sock', host: '/tmp/mc.sock', port: 0, path: '/tmp/mc.sock', weight: 1 },
    ]);
  });

  it('its identity is the path, whichever form named it, so both forms are one server', () => {
    expect(formatServer(parseServers(['unix:/tmp/mc.sock'])[0]!)).toBe('/tmp/mc.sock');
    expect(() => parseServers(['/tmp/mc.sock', 'unix:/tmp/mc.sock'])).toThrow(/listed once/);
  });

  it('mixes with TCP servers and keeps weights and credentials', () => {
    expect(
      parseServers(['10.0.0.1:11211', { address: '/tmp/a.sock', weight: 3 }, 'alice:p@ss:w@unix:/tmp/b.sock']),
    ).toEqual([
      { id: '10.0.0.1:11211', host: '10.0.0.1', port: 11211, weight: 1 },
      { id: '/tmp/a.sock', host: '/tmp/a.sock', port: 0, path: '/tmp/a.sock', weight: 3 },
      {
        id: '/tmp/b.sock',
        host: '/tmp/b.sock',
        port: 0,
        path: '/tmp/b.sock',
        weight: 1,
        username: 'alice',
        password: 'p@ss:w',
      },
    ]);
  });

  it('a path may hold @ and : when it has no credentials', () => {
    expect(parseServers(['/tmp/a@b:c.sock'])[0]).toMatchObject({ path: '/tmp/a@b:c.sock' });
  });

  it('unix: not followed by / is a host named unix, as before', () => {
    expect(parseServers(['unix:11311'])).toEqual([{ id: 'unix:11311', host: 'unix', port: 11311, weight: 1 }]);
  });

  it('refuses a relative path, an empty one, a NUL, and a path longer than sun_path holds', () => {
    for (const bad of ['unix:', 'unix:relative.sock', `/tmp/${'x'.repeat(103)}`, '/tmp/a\0b']) {
      expect(() => parseServers([bad]), JSON.stringify(bad)).toThrow(InvalidOptionError);
    }
    expect(parseServers([`/tmp/${'x'.repeat(102)}`])[0]!.path).toHaveLength(107);
  });
});
