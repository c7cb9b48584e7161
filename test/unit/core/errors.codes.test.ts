import { describe, expect, it } from 'vitest';
import * as E from '../../../src/core/errors';

// One error of each code: typed as a Record over ErrorCode, so a code the union lacks, or one it
// has that no class makes, fails the typecheck; the test checks that each class really has it.
const ONE_OF_EACH: Record<E.ErrorCode, () => { readonly code: string }> = {
  ERR_INVALID_KEY: () => new E.InvalidKeyError('k'),
  ERR_INVALID_ITEM: () => new E.InvalidItemError('i'),
  ERR_INVALID_VALUE: () => new E.InvalidValueError('v'),
  ERR_INVALID_EXPIRATION: () => new E.InvalidExpirationError('e'),
  ERR_INVALID_FLAGS: () => new E.InvalidFlagsError('f'),
  ERR_INVALID_FAULT_MODE: () => new E.InvalidFaultModeError('m'),
  ERR_INVALID_CAS: () => new E.InvalidCasError('c'),
  ERR_INVALID_COUNTER: () => new E.InvalidCounterError('c'),
  ERR_INVALID_OPTION: () => new E.InvalidOptionError('timeoutMs', -1, 'a number >= 0'),
  ERR_CONNECTION: () => new E.ConnectionError(new Error('reset')),
  ERR_CREDENTIALS_NOT_REQUIRED: () => new E.CredentialsNotRequiredError('127.0.0.1:11211'),
  ERR_CONNECTION_DOWN: () => new E.ConnectionDownError('127.0.0.1:11211'),
  ERR_PING: () => new E.PingError(new Map([['a:1', new E.TimeoutError(1)]]), 2),
  ERR_CLIENT_CLOSED: () => new E.ClientClosedError(),
  ERR_TIMEOUT: () => new E.TimeoutError(100),
  ERR_SERVER: () => new E.ServerError(new Error('too large')),
  ERR_INSPECTOR_UNAVAILABLE: () => new E.InspectorUnavailableError(new Error('missing ws')),
  ERR_COUNTER_RANGE: () => new E.CounterRangeError(2n ** 60n),
  ERR_ADMIN_COMMAND: () => new E.AdminCommandError('flush', new Map([['a:1', new E.TimeoutError(1)]]), new Map()),
  ERR_DECODE: () => new E.DecodeError('k', 2, new Error('bad')),
  ERR_UNSUPPORTED_FLAGS: () => new E.UnsupportedFlagsError(1, 'pickle'),
};

describe('every error code', () => {
  it.each(Object.entries(ONE_OF_EACH))('%s is the code of the class that stands for it', (code, make) => {
    const err = make();
    expect(err.code).toBe(code);
    expect(E.isReconnectingMemcachedError(err, code as E.ErrorCode)).toBe(true);
  });
});
