import { describe, expect, it } from 'vitest';
import { parseClusterConfig } from '../../../src/discovery/parseClusterConfig';

function reply(body: string): Buffer {
  return Buffer.from(`CONFIG cluster 0 ${Buffer.byteLength(body)}\r\n${body}\r\nEND\r\n`, 'latin1');
}

describe('parseClusterConfig', () => {
  it('reads the version and the nodes as ElastiCache writes them, preferring the IP', () => {
    const body =
      '12\nmycluster.0001.cache.amazonaws.com|10.82.235.120|11211 mycluster.0002.cache.amazonaws.com|10.80.249.27|11212\n';
    expect(parseClusterConfig(reply(body))).toEqual({
      ok: true,
      version: 12,
      servers: [
        { id: '10.80.249.27:11212', weight: 1 },
        { id: '10.82.235.120:11211', weight: 1 },
      ],
    });
  });

  it('takes the host name when no IP is given, and brackets an IPv6 address', () => {
    expect(parseClusterConfig(reply('3\nnode-a||11211 node-b|fd00::7|11211\n'))).toEqual({
      ok: true,
      version: 3,
      servers: [
        { id: '[fd00::7]:11211', weight: 1 },
        { id: 'node-a:11211', weight: 1 },
      ],
    });
  });

  it('accepts CRLF line ends inside the body', () => {
    expect(parseClusterConfig(reply('4\r\nnode-a|10.0.0.1|11211\r\n'))).toMatchObject({ ok: true, version: 4 });
  });

  it.each([
    [
      'memcached without the config command',
      Buffer.from('ERROR\r\n'),
      /expected "CONFIG cluster 0 <bytes>", got "ERROR\\r"/,
    ],
    [
      'a body shorter than announced',
      Buffer.from('CONFIG cluster 0 99\r\n1\na|1.2.3.4|11211\n\r\nEND\r\n'),
      /not 99 bytes/,
    ],
    ['no END', Buffer.from('CONFIG cluster 0 2\r\n1\n\r\n'), /followed by END/],
    ['a version that is not a number', reply('v2\na|1.2.3.4|11211\n'), /version "v2" is not a number/],
    ['no node line', reply('7\n'), /got 1 lines/],
    ['an entry without three fields', reply('7\na|1.2.3.4\n'), /"a\|1.2.3.4" is not host\|ip\|port/],
    ['a port out of range', reply('7\na|1.2.3.4|70000\n'), /"a\|1.2.3.4\|70000"/],
    ['an entry with neither host nor IP', reply('7\n||11211\n'), /is not host\|ip\|port/],
  ])('does not read %s as a list', (_, answer, reason) => {
    const parsed = parseClusterConfig(answer);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.reason).toMatch(reason);
  });
});
