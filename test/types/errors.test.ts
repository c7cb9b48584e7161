// Type tests of the errors' codes: checked by `npm run typecheck`, run by vitest as no-ops. An
// expected-error line fails the typecheck if the API starts to accept what it marks.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AdminCommandError,
  ClientClosedError,
  ConnectionDownError,
  ConnectionError,
  CounterRangeError,
  CredentialsNotRequiredError,
  DecodeError,
  ErrorCode,
  InvalidCasError,
  InvalidCounterError,
  InvalidExpirationError,
  InvalidFlagsError,
  InvalidInputError,
  InvalidItemError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  PingError,
  ReconnectingMemcachedError,
  ServerError,
  TimeoutError,
  UnsupportedFlagsError,
} from '../../src/index';
import { isReconnectingMemcachedError } from '../../src/index';
import type { InspectorUnavailableError } from '../../src/inspect/index';
import type { InvalidFaultModeError } from '../../src/testing/index';

describe('error codes', () => {
  it('each class has its own code as a literal type', () => {
    expectTypeOf<InvalidKeyError['code']>().toEqualTypeOf<'ERR_INVALID_KEY'>();
    expectTypeOf<InvalidItemError['code']>().toEqualTypeOf<'ERR_INVALID_ITEM'>();
    expectTypeOf<InvalidValueError['code']>().toEqualTypeOf<'ERR_INVALID_VALUE'>();
    expectTypeOf<InvalidExpirationError['code']>().toEqualTypeOf<'ERR_INVALID_EXPIRATION'>();
    expectTypeOf<InvalidFlagsError['code']>().toEqualTypeOf<'ERR_INVALID_FLAGS'>();
    expectTypeOf<InvalidFaultModeError['code']>().toEqualTypeOf<'ERR_INVALID_FAULT_MODE'>();
    expectTypeOf<InvalidCasError['code']>().toEqualTypeOf<'ERR_INVALID_CAS'>();
    expectTypeOf<InvalidCounterError['code']>().toEqualTypeOf<'ERR_INVALID_COUNTER'>();
    expectTypeOf<InvalidOptionError['code']>().toEqualTypeOf<'ERR_INVALID_OPTION'>();
    expectTypeOf<CredentialsNotRequiredError['code']>().toEqualTypeOf<'ERR_CREDENTIALS_NOT_REQUIRED'>();
    expectTypeOf<ConnectionDownError['code']>().toEqualTypeOf<'ERR_CONNECTION_DOWN'>();
    expectTypeOf<PingError['code']>().toEqualTypeOf<'ERR_PING'>();
    expectTypeOf<ClientClosedError['code']>().toEqualTypeOf<'ERR_CLIENT_CLOSED'>();
    expectTypeOf<TimeoutError['code']>().toEqualTypeOf<'ERR_TIMEOUT'>();
    expectTypeOf<ServerError['code']>().toEqualTypeOf<'ERR_SERVER'>();
    expectTypeOf<InspectorUnavailableError['code']>().toEqualTypeOf<'ERR_INSPECTOR_UNAVAILABLE'>();
    expectTypeOf<CounterRangeError['code']>().toEqualTypeOf<'ERR_COUNTER_RANGE'>();
    expectTypeOf<AdminCommandError['code']>().toEqualTypeOf<'ERR_ADMIN_COMMAND'>();
    expectTypeOf<DecodeError['code']>().toEqualTypeOf<'ERR_DECODE'>();
    expectTypeOf<UnsupportedFlagsError['code']>().toEqualTypeOf<'ERR_UNSUPPORTED_FLAGS'>();
  });

  it('a base class has the codes of the classes it stands for', () => {
    // A ConnectionError may be its subclass CredentialsNotRequiredError.
    expectTypeOf<ConnectionError['code']>().toEqualTypeOf<'ERR_CONNECTION' | 'ERR_CREDENTIALS_NOT_REQUIRED'>();
    expectTypeOf<InvalidInputError['code']>().toEqualTypeOf<
      | InvalidKeyError['code']
      | InvalidItemError['code']
      | InvalidValueError['code']
      | InvalidExpirationError['code']
      | InvalidFlagsError['code']
      | InvalidFaultModeError['code']
      | InvalidCasError['code']
      | InvalidCounterError['code']
    >();
    expectTypeOf<ReconnectingMemcachedError['code']>().toEqualTypeOf<ErrorCode>();
  });

  it('ErrorCode is exactly the codes of the classes: none missing, none extra', () => {
    expectTypeOf<ErrorCode>().toEqualTypeOf<
      | InvalidInputError['code']
      | InvalidOptionError['code']
      | ConnectionError['code']
      | ConnectionDownError['code']
      | PingError['code']
      | ClientClosedError['code']
      | TimeoutError['code']
      | ServerError['code']
      | InspectorUnavailableError['code']
      | CounterRangeError['code']
      | AdminCommandError['code']
      | DecodeError['code']
      | UnsupportedFlagsError['code']
    >();
  });

  it('isReconnectingMemcachedError takes a real code only, and narrows to it', () => {
    const err: unknown = new Error('x');
    if (isReconnectingMemcachedError(err, 'ERR_TIMEOUT')) expectTypeOf(err.code).toEqualTypeOf<'ERR_TIMEOUT'>();
    if (isReconnectingMemcachedError(err)) expectTypeOf(err.code).toEqualTypeOf<ErrorCode>();
    // @ts-expect-error: no such code
    isReconnectingMemcachedError(err, 'ERR_TIMEDOUT');
    // @ts-expect-error: a code is one of ErrorCode, not any string
    isReconnectingMemcachedError(err, 'timeout' as string);
  });
});
