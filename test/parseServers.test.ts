import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../src/errors';
import { formatServer, parseServers } from '../src/parseServers';

describe('parseServers', () => {
  it('takes an array or a comma-separated string, with 11211 as the default port', () => {
    expect(parseServers(['a:1', 'b'])).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 11211 },
    ]);
    expect(parseServers('a:1, b')).toEqual(parseServers(['a:1', 'b']));
  });

  it('reads SASL credentials, where the password may hold ":" and "@"', () => {
    expect(parseServers(['user:p@ss:w0rd@cache:11212'])).toEqual([
      { host: 'cache', port: 11212, username: 'user', password: 'p@ss:w0rd' },
    ]);
  });

  it('reads bracketed IPv6 addresses', () => {
    expect(parseServers(['[::1]:11311', '[::1]'])).toEqual([
      { host: '::1', port: 11311 },
      { host: '::1', port: 11211 },
    ]);
    expect(formatServer({ host: '::1', port: 11311 })).toBe('[::1]:11311');
  });

  it.each([
    [[]],
    [''],
    [['host:0']],
    [['host:65536']],
    [['host:abc']],
    [['host:']],
    [[':11211']],
    [['[::1']],
    [[42]],
    [undefined],
  ])('rejects %j naming the option', (servers) => {
    expect(() => parseServers(servers)).toThrow(InvalidOptionError);
    expect(() => parseServers(servers)).toThrow(/servers/);
  });

  it('never puts a password in its error message', () => {
    expect(() => parseServers(['user:hunter2@host:99999'])).toThrow(/credentials, not shown.*entry 1 of 1/);
    expect(() => parseServers('user:hunter2@host:99999')).not.toThrow(/hunter2/);
    expect(() => parseServers('a:1,b:0')).toThrow(/"a:1,b:0".*entry 2 of 2/);
  });
});
