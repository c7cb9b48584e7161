import { describe, expect, it } from 'vitest';
import { MetaReader, type MetaResponse } from '../../../src/meta/MetaReader';
import { readLease } from '../../../src/meta/metaLeases';

function responseOf(wire: string): MetaResponse {
  let read: MetaResponse | undefined;
  new MetaReader((response) => {
    read = response;
    return true;
  }).feed(Buffer.from(wire, 'latin1'));
  if (read === undefined) throw new Error(`no response in ${JSON.stringify(wire)}`);
  return read;
}

describe('readLease: what a read-through mg answers', () => {
  it('EN (memcached could not make a placeholder) is a miss nobody won, not an empty item', () => {
    expect(readLease(responseOf('EN\r\n'))).toBeUndefined();
  });

  it('a placeholder this caller won, one another caller won, and a stale item', () => {
    expect(readLease(responseOf('VA 0 f0 c9 W\r\n\r\n'))).toMatchObject({ win: true, pending: false, cas: 9n });
    expect(readLease(responseOf('VA 0 f0 c9 Z\r\n\r\n'))).toMatchObject({ win: false, pending: true });
    const stale = readLease(responseOf('VA 3 f5 c2 X W\r\nold\r\n'));
    expect(stale).toMatchObject({ stale: true, win: true, flags: 5 });
    expect(stale?.value.toString()).toBe('old');
  });
});
