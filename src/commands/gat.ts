import type { Item } from '../api/Item';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_GAT } from '../memjs/binaryProtocol';
import { expirationRequest } from '../memjs/binaryRequest';
import { readGat } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { readItem } from '../meta/metaRequests';
import type { TextWire } from '../text/TextWire';
import type { KeySpec } from './KeySpec';
import { type KeyExpiration, keyExpirationInput, thirdOptions } from './keyArgs';

/** `gat(key, expiration, opts)`: get and touch in one round trip. */
export const GAT: KeySpec<'gat', KeyExpiration, Item | undefined> = {
  name: 'gat',
  hits: (item) => (item === undefined ? 0 : 1),
  input: keyExpirationInput,
  options: thirdOptions,
  answer: (_args, parts) => parts.getResult,
  binary(wire: BinaryWire, { key, expiration }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(expirationRequest(OP_GAT, key, expiration, opaque), opaque, readGat, key);
  },
  meta: (wire: MetaWire, { key, expiration }) =>
    wire.one(key, `mg ${key} v f T${expiration}`, readItem, undefined, wire.giveBack),
  text: (wire: TextWire, { key, expiration }) => wire.retrieve('gat', key, false, `gat ${expiration} ${key}\r\n`),
};
