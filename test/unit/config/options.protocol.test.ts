import { describe, expect, it } from 'vitest';
import { createClient } from '../../../src/client/createClient';
import { resolveOptions } from '../../../src/config/options';
import { InvalidOptionError } from '../../../src/core/errors';

describe('the protocol option', () => {
  it("defaults to 'binary' and takes 'meta' and 'text'", () => {
    expect(resolveOptions({ servers: 'h' }).protocol).toBe('binary');
    expect(resolveOptions({ servers: 'h', protocol: 'meta' }).protocol).toBe('meta');
    expect(resolveOptions({ servers: 'h', protocol: 'text' }).protocol).toBe('text');
  });

  it.each(['Text', 'ascii', '', 1, null])('rejects %j with InvalidOptionError naming it', (protocol) => {
    expect(() => resolveOptions({ servers: 'h', protocol: protocol as never })).toThrow(InvalidOptionError);
    expect(() => createClient({ servers: 'h', protocol: protocol as never })).toThrow(/protocol/);
  });
});
