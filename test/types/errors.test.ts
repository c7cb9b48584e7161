// Type tests of the errors' codes: checked by `npm run typecheck`, run by vitest as no-ops. An
// expected-error line fails the typecheck if the API starts to accept what it marks.
import { describe, expectTypeOf, it } from 'vitest';
import type * as E from '../../src/index';
import { isReconnectingMemcachedError } from '../../src/index';
import type { InspectorUnavailableError } from '../../src/inspect/index';
import type { InvalidFaultModeError } from '../../src/testing/index';

describe('error codes', () => {
  it('each class has its own code as a literal type', () => {
    expectTypeOf<E.InvalidKeyError['code']>().toEqualTypeOf<'ERR_INVALID_KEY'>();
    expectTypeOf<E.InvalidItemError['code']>().toEqualTypeOf<'ERR_INVALID_ITEM'>();
    expectTypeOf<E.InvalidValueError['code']>().toEqualTypeOf<'ERR_INVALID_VALUE'>();
    expectTypeOf<E.InvalidExpirationError['code']>().toEqualTypeOf<'ERR_INVALID_EXPIRATION'>();
    expectTypeOf<E.InvalidFlagsError['code']>().toEqualTypeOf<'ERR_INVALID_FLAGS'>();
    expectTypeOf<InvalidFaultModeError['code']>().toEqualTypeOf<'ERR_INVALID_FAULT_MODE'>();
    expectTypeOf<E.InvalidCasError['code']>().toEqualTypeOf<'ERR_INVALID_CAS'>();
    expectTypeOf<E.InvalidCounterError['code']>().toEqualTypeOf<'ERR_INVALID_COUNTER'>();
    expectTypeOf<E.InvalidOptionError['code']>().toEqualTypeOf<'ERR_INVALID_OPTION'>();
    expectTypeOf<E.CredentialsNotRequiredError['code']>().toEqualTypeOf<'ERR_CREDENTIALS_NOT_REQUIRED'>();
    expectTypeOf<E.ConnectionDownError['code']>().toEqualTypeOf<'ERR_CONNECTION_DOWN'>();
    expectTypeOf<E.PingError['code']>().toEqualTypeOf<'ERR_PING'>();
    expectTypeOf<E.ClientClosedError['code']>().toEqualTypeOf<'ERR_CLIENT_CLOSED'>();
    expectTypeOf<E.TimeoutError['code']>().toEqualTypeOf<'ERR_TIMEOUT'>();
    expectTypeOf<E.ServerError['code']>().toEqualTypeOf<'ERR_SERVER'>();
    expectTypeOf<InspectorUnavailableError['code']>().toEqualTypeOf<'ERR_INSPECTOR_UNAVAILABLE'>();
    expectTypeOf<E.CounterRangeError['code']>().toEqualTypeOf<'ERR_COUNTER_RANGE'>();
    expectTypeOf<E.AdminCommandError['code']>().toEqualTypeOf<'ERR_ADMIN_COMMAND'>();
    expectTypeOf<E.DecodeError['code']>().toEqualTypeOf<'ERR_DECODE'>();
    expectTypeOf<E.UnsupportedFlagsError['code']>().toEqualTypeOf<'ERR_UNSUPPORTED_FLAGS'>();
  });

  it('a base class has the codes of the classes it stands for', () => {
    // A ConnectionError may be its subclass CredentialsNotRequiredError.
    expectTypeOf<E.ConnectionError['code']>().toEqualTypeOf<'ERR_CONNECTION' | 'ERR_CREDENTIALS_NOT_REQUIRED'>();
    expectTypeOf<E.InvalidInputError['code']>().toEqualTypeOf<
      | E.InvalidKeyError['code']
      | E.InvalidItemError['code']
      | E.InvalidValueError['code']
      | E.InvalidExpirationError['code']
      | E.InvalidFlagsError['code']
      | InvalidFaultModeError['code']
      | E.InvalidCasError['code']
      | E.InvalidCounterError['code']
    >();
    expectTypeOf<E.ReconnectingMemcachedError['code']>().toEqualTypeOf<E.ErrorCode>();
  });

  it('ErrorCode is exactly the codes of the classes: none missing, none extra', () => {
    expectTypeOf<E.ErrorCode>().toEqualTypeOf<
      | E.InvalidInputError['code']
      | E.InvalidOptionError['code']
      | E.ConnectionError['code']
      | E.ConnectionDownError['code']
      | E.PingError['code']
      | E.ClientClosedError['code']
      | E.TimeoutError['code']
      | E.ServerError['code']
      | InspectorUnavailableError['code']
      | E.CounterRangeError['code']
      | E.AdminCommandError['code']
      | E.DecodeError['code']
      | E.UnsupportedFlagsError['code']
    >();
  });

  it('isReconnectingMemcachedError takes a real code only, and narrows to it', () => {
    const err: unknown = new Error('x');
    if (isReconnectingMemcachedError(err, 'ERR_TIMEOUT')) expectTypeOf(err.code).toEqualTypeOf<'ERR_TIMEOUT'>();
    if (isReconnectingMemcachedError(err)) expectTypeOf(err.code).toEqualTypeOf<E.ErrorCode>();
    // @ts-expect-error: no such code
    isReconnectingMemcachedError(err, 'ERR_TIMEDOUT');
    // @ts-expect-error: a code is one of ErrorCode, not any string
    isReconnectingMemcachedError(err, 'timeout' as string);
  });
});
