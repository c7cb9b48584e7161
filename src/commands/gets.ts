import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_GET } from '../memjs/binaryProtocol';
import { keyRequest } from '../memjs/binaryRequest';
import { readGets } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { getsAnswer } from '../meta/metaLeases';
import type { CasItem } from '../port/MemcachedPort';
import type { TextWire } from '../text/TextWire';
import type { KeySpec } from './KeySpec';
import { type KeyArgs, keyInput, oneHit, secondOptions } from './keyArgs';

/** `gets(key, opts)`: the item with its CAS token, for a later `cas`. */
export const GETS: KeySpec<'gets', KeyArgs, CasItem | undefined> = {
  name: 'gets',
  input: keyInput,
  options: secondOptions,
  answer: (_args, parts) => parts.getsResult,
  hits: oneHit,
  binary(wire: BinaryWire, { key }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(keyRequest(OP_GET, key, opaque), opaque, readGets, key);
  },
  meta(wire: MetaWire, { key }) {
    const { read, giveBack } = getsAnswer(wire.giveBack);
    return wire.one(key, `mg ${key} v f c`, read, undefined, giveBack);
  },
  text: (wire: TextWire, { key }) => wire.retrieve<CasItem>('gets', key, true, `gets ${key}\r\n`),
};
