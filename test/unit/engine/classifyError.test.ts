import { describe, expect, it } from 'vitest';
import {
  ClientClosedError,
  ConnectionError,
  InvalidKeyError,
  ServerError,
  TimeoutError,
} from '../../../src/core/errors';
import { classifyError } from '../../../src/engine/classifyError';

const sys = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('classifyError', () => {
  it.each([
    ['ECONNREFUSED', sys('ECONNREFUSED')],
    ['ECONNRESET', sys('ECONNRESET')],
    ['EPIPE', sys('EPIPE')],
    ['memjs connect timeout', new Error('socket timed out connecting to server.')],
    ['memjs response timeout', new Error('socket timed out waiting on response.')],
    ['memjs no server', new Error('No servers available')],
    ['memjs SASL failure (a string)', 'Memcached server authentication failed!'],
    ['our deadline', new TimeoutError(100)],
    ['a wrapped socket error', new ConnectionError(sys('ECONNRESET'))],
  ])('%s is a connection failure', (_, err) => {
    expect(classifyError(err)).toBe('connection');
  });

  it.each([
    ['value too large', new ServerError(new Error('MemJS SET: Value too large'))],
    ['a raw memjs status error', new Error('MemJS SET: Item not stored')],
    ['our own typed errors, which carry a code too', new InvalidKeyError('bad')],
    ['closed', new ClientClosedError()],
    ['an unrelated bug', new TypeError('x is not a function')],
  ])('%s does not count', (_, err) => {
    expect(classifyError(err)).toBe('server');
  });
});
