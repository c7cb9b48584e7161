import { casItemOf } from '../memjs/binaryResponse';
import type { ResponseReader } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { getsAnswer } from '../meta/metaLeases';
import type { CasItem } from '../port/MemcachedPort';
import type { TextWire } from '../text/TextWire';
import { binaryGat } from './gat';
import type { KeySpec } from './KeySpec';
import { type KeyExpiration, READ_AND_TOUCH } from './keyArgs';

const readBinary: ResponseReader<CasItem | undefined> = (r, key) => casItemOf('GATS', key, r);

/** `gats(key, expiration, opts)`: get and touch in one round trip, with the item's CAS token. */
export const GATS: KeySpec<'gats', KeyExpiration, CasItem | undefined> = {
  name: 'gats',
  ...READ_AND_TOUCH,
  answer: (_args, parts) => parts.getsResult,
  binary: binaryGat(readBinary),
  meta(wire: MetaWire, { key, expiration }) {
    const { read, giveBack } = getsAnswer(wire.giveBack);
    return wire.one(key, `mg ${key} v f c T${expiration}`, read, undefined, giveBack);
  },
  text: (wire: TextWire, { key, expiration }) =>
    wire.retrieve<CasItem>('gats', key, true, `gats ${expiration} ${key}\r\n`),
};
