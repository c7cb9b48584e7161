import { describe, expect, it } from 'vitest';
import { serverAttributes } from '../../../src/otel/serverAttributes';

describe('serverAttributes', () => {
  it('splits host:port, unwraps an IPv6 literal, and gives a UNIX socket an address without a port', () => {
    expect(serverAttributes('cache-a:11211')).toEqual({ 'server.address': 'cache-a', 'server.port': 11211 });
    expect(serverAttributes('[::1]:11212')).toEqual({ 'server.address': '::1', 'server.port': 11212 });
    expect(serverAttributes('/run/memcached.sock')).toEqual({ 'server.address': '/run/memcached.sock' });
    expect(serverAttributes('odd')).toEqual({ 'server.address': 'odd' });
  });
});
