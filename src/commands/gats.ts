import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_GAT } from '../memjs/binaryProtocol';
import { expirationRequest } from '../memjs/binaryRequest';
import { casItemOf } from '../memjs/binaryResponse';
import type { ResponseReader } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { getsAnswer } from '../meta/metaLeases';
import type { CasItem } from '../port/MemcachedPort';
import type { TextWire } from '../text/TextWire';
import type { KeySpec } from './KeySpec';
import { type KeyExpiration, keyExpirationInput, thirdOptions } from './keyArgs';

// The binary GAT's response carries the CAS value in its header, as GET's does.
const readBinary: ResponseReader<CasItem | undefined> = (r, key) => casItemOf('GATS', key, r);

/** `gats(key, expiration, opts)`: get and touch in one round trip, with the item's CAS token. */
export const GATS: KeySpec<'gats', KeyExpiration, CasItem | undefined> = {
  name: 'gats',
  hits: (item) => (item === undefined ? 0 : 1),
  input: keyExpirationInput,
  options: thirdOptions,
  answer: (_args, parts) => parts.getsResult,
  binary(wire: BinaryWire, { key, expiration }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(expirationRequest(OP_GAT, key, expiration, opaque), opaque, readBinary, key);
  },
  meta(wire: MetaWire, { key, expiration }) {
    const { read, giveBack } = getsAnswer(wire.giveBack);
    return wire.one(key, `mg ${key} v f c T${expiration}`, read, undefined, giveBack);
  },
  text: (wire: TextWire, { key, expiration }) =>
    wire.retrieve<CasItem>('gats', key, true, `gats ${expiration} ${key}\r\n`),
};
