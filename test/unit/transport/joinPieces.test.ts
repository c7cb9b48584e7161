import { describe, expect, it } from 'vitest';
import { joinPieces } from '../../../src/transport/joinPieces';

describe('joinPieces: a tick of meta requests as one write', () => {
  it('joins small text and values into one buffer, bytes in order (UTF-8 text too)', () => {
    const joined = joinPieces(['ms clé 3 F0 T0\r\n', Buffer.from('abc'), '\r\nmg k v\r\n']);
    expect(joined?.toString('utf8')).toBe('ms clé 3 F0 T0\r\nabc\r\nmg k v\r\n');
  });

  it('leaves large pieces alone: they go out uncopied in one writev', () => {
    expect(joinPieces(['ms k 70000 F0 T0\r\n', Buffer.alloc(70_000), '\r\n'])).toBeUndefined();
  });
});
