import { describe, expect, it } from 'vitest';
import {
  AdminCommandError,
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  CounterRangeError,
  CredentialsNotRequiredError,
  DecodeError,
  type ErrorCode,
  InspectorUnavailableError,
  InvalidCasError,
  InvalidCounterError,
  InvalidExpirationError,
  InvalidFaultModeError,
  InvalidFlagsError,
  InvalidItemError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  isReconnectingMemcachedError,
  PingError,
  ServerError,
  TimeoutError,
  UnsupportedFlagsError,
} from '../../../src/core/errors';

// One error of each code: typed as a Record over ErrorCode, so a code the union lacks, or one it
// has that no class makes, fails the typecheck; the test checks that each class really has it.
const ONE_OF_EACH: Record<ErrorCode, () => { readonly code: string }> = {
  ERR_INVALID_KEY: () => new InvalidKeyError('k'),
  ERR_INVALID_ITEM: () => new InvalidItemError('i'),
  ERR_INVALID_VALUE: () => new InvalidValueError('v'),
  ERR_INVALID_EXPIRATION: () => new InvalidExpirationError('e'),
  ERR_INVALID_FLAGS: () => new InvalidFlagsError('f'),
  ERR_INVALID_FAULT_MODE: () => new InvalidFaultModeError('m'),
  ERR_INVALID_CAS: () => new InvalidCasError('c'),
  ERR_INVALID_COUNTER: () => new InvalidCounterError('c'),
  ERR_INVALID_OPTION: () => new InvalidOptionError('timeoutMs', -1, 'a number >= 0'),
  ERR_CONNECTION: () => new ConnectionError(new Error('reset')),
  ERR_CREDENTIALS_NOT_REQUIRED: () => new CredentialsNotRequiredError('127.0.0.1:11211'),
  ERR_CONNECTION_DOWN: () => new ConnectionDownError('127.0.0.1:11211'),
  ERR_PING: () => new PingError(new Map([['a:1', new TimeoutError(1)]]), 2),
  ERR_CLIENT_CLOSED: () => new ClientClosedError(),
  ERR_TIMEOUT: () => new TimeoutError(100),
  ERR_SERVER: () => new ServerError(new Error('too large')),
  ERR_INSPECTOR_UNAVAILABLE: () => new InspectorUnavailableError(new Error('missing ws')),
  ERR_COUNTER_RANGE: () => new CounterRangeError(2n ** 60n),
  ERR_ADMIN_COMMAND: () => new AdminCommandError('flush', new Map([['a:1', new TimeoutError(1)]]), new Map()),
  ERR_DECODE: () => new DecodeError('k', 2, new Error('bad')),
  ERR_UNSUPPORTED_FLAGS: () => new UnsupportedFlagsError(1, 'pickle'),
};

describe('every error code', () => {
  it.each(Object.entries(ONE_OF_EACH))('%s is the code of the class that stands for it', (code, make) => {
    const err = make();
    expect(err.code).toBe(code);
    expect(isReconnectingMemcachedError(err, code as ErrorCode)).toBe(true);
  });
});
