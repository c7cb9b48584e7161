import { describe, expect, it } from 'vitest';
import { formatServer, parseServers } from '../../../src/config/parseServers';
import { InvalidOptionError } from '../../../src/core/errors';

describe('parseServers', () => {
  it('takes an array or a comma-separated string, with 11211 as the default port', () => {
    expect(parseServers(['a:1', 'b'])).toEqual([
      { id: 'a:1', host: 'a', port: 1, weight: 1 },
      { id: 'b:11211', host: 'b', port: 11211, weight: 1 },
    ]);
    expect(parseServers('a:1, b')).toEqual(parseServers(['a:1', 'b']));
  });

  it('reads SASL credentials, where the password may hold ":" and "@"', () => {
    expect(parseServers(['user:p@ss:w0rd@cache:11212'])).toEqual([
      { id: 'cache:11212', host: 'cache', port: 11212, weight: 1, username: 'user', password: 'p@ss:w0rd' },
    ]);
  });

  it('reads bracketed IPv6 addresses', () => {
    expect(parseServers(['[::1]:11311', '[::1]'])).toEqual([
      { id: '[::1]:11311', host: '::1', port: 11311, weight: 1 },
      { id: '[::1]:11211', host: '::1', port: 11211, weight: 1 },
    ]);
    expect(formatServer({ host: '::1', port: 11311 })).toBe('[::1]:11311');
  });

  it('reads { address, weight } entries beside plain strings', () => {
    expect(parseServers(['a:1', { address: 'b:2', weight: 3 }, { address: 'u:p@c' }])).toEqual([
      { id: 'a:1', host: 'a', port: 1, weight: 1 },
      { id: 'b:2', host: 'b', port: 2, weight: 3 },
      { id: 'c:11211', host: 'c', port: 11211, weight: 1, username: 'u', password: 'p' },
    ]);
  });

  it.each([[0], [1.5], [1001], ['2'], [Number.NaN]])('rejects the weight %j', (weight) => {
    expect(() => parseServers([{ address: 'a:1', weight }])).toThrow(/weight that is a whole number in 1\.\.1000/);
  });

  it('rejects a server listed twice, whatever the credentials or the spelling of the default port', () => {
    expect(() => parseServers(['a:11211', 'a'])).toThrow(/"a:11211"; expected each server \(host:port\) listed once/);
    expect(() => parseServers(['x:y@a:1', { address: 'a:1', weight: 2 }])).toThrow(InvalidOptionError);
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
    [[{ address: 42 }]],
    [[{ weight: 2 }]],
    [[null]],
    [undefined],
  ])('rejects %j naming the option', (servers) => {
    expect(() => parseServers(servers)).toThrow(InvalidOptionError);
    expect(() => parseServers(servers)).toThrow(/servers/);
  });

  it('never puts a password in its error message', () => {
    expect(() => parseServers(['user:hunter2@host:99999'])).toThrow(/credentials, not shown.*entry 1 of 1/);
    expect(() => parseServers('user:hunter2@host:99999')).not.toThrow(/hunter2/);
    expect(() => parseServers('a:1,b:0')).toThrow(/"a:1,b:0".*entry 2 of 2/);
    expect(() => parseServers([{ address: 'user:hunter2@host:99999', weight: 2 }])).toThrow(/entry 1 of 1/);
    expect(() => parseServers([{ address: 'user:hunter2@host:99999', weight: 2 }])).not.toThrow(/hunter2/);
  });
});
