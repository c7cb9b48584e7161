import type { Item } from '../api/Item';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_GAT } from '../memjs/binaryProtocol';
import { expirationRequest } from '../memjs/binaryRequest';
import { type ResponseReader, readGat } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { readItem } from '../meta/metaRequests';
import type { TextWire } from '../text/TextWire';
import type { KeySpec } from './KeySpec';
import { type KeyExpiration, READ_AND_TOUCH } from './keyArgs';

/** The binary GAT, its response read by `read` (its header carries the CAS value too, for `gats`). */
export function binaryGat<T>(read: ResponseReader<T>) {
  return (wire: BinaryWire, { key, expiration }: KeyExpiration): Promise<T> => {
    const opaque = wire.nextOpaque();
    return wire.exchange(expirationRequest(OP_GAT, key, expiration, opaque), opaque, read, key);
  };
}

/** `gat(key, expiration, opts)`: get and touch in one round trip. */
export const GAT: KeySpec<'gat', KeyExpiration, Item | undefined> = {
  name: 'gat',
  ...READ_AND_TOUCH,
  answer: (_args, parts) => parts.getResult,
  binary: binaryGat(readGat),
  meta: (wire: MetaWire, { key, expiration }) =>
    wire.one(key, `mg ${key} v f T${expiration}`, readItem, undefined, wire.giveBack),
  text: (wire: TextWire, { key, expiration }) => wire.retrieve('gat', key, false, `gat ${expiration} ${key}\r\n`),
};
