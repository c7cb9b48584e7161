import type { StoreResult } from '../api/results';
import { CAS_ITEM_FIELDS, validateCas, validateItem } from '../core/validation';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_SET } from '../memjs/binaryProtocol';
import { storeRequest } from '../memjs/binaryRequest';
import { readCas } from '../memjs/responseReaders';
import type { MetaResponse } from '../meta/MetaResponse';
import type { MetaWire } from '../meta/MetaWire';
import { storeStatus as metaStoreStatus, storeHeader } from '../meta/metaRequests';
import type { StoreStatus } from '../port/MemcachedPort';
import type { TextResponse } from '../text/TextResponse';
import type { TextWire } from '../text/TextWire';
import { storeStatus } from '../text/textRequests';
import { storeLine } from '../text/textWrites';
import { toStoreResult } from './answers';
import type { CommandParts, StoreArgs } from './CommandParts';
import type { KeySpec } from './KeySpec';
import { secondOptions } from './keyArgs';

/** An item to store only while its CAS value is still `cas`. */
export interface CasArgs extends StoreArgs {
  readonly cas: bigint;
}

const readMeta = (response: MetaResponse) => metaStoreStatus(response, 'not_stored');
const readText = (response: TextResponse) => storeStatus(response, 'not_stored');
const storeResult = (): ((status: StoreStatus) => StoreResult) => toStoreResult;

/** The item read once and checked, its token too, before any I/O. */
function casInput(parts: CommandParts, item: unknown): CasArgs | Promise<CasArgs> {
  validateItem(item, 'cas', CAS_ITEM_FIELDS);
  const cas = (item as { readonly cas: unknown }).cas;
  const read = parts.item(item, 'cas');
  validateCas(cas);
  return read instanceof Promise ? read.then((out) => withCas(out, cas)) : withCas(read, cas);
}

function withCas({ key, userKey, value, flags, expiration }: StoreArgs, cas: bigint): CasArgs {
  return { key, userKey, value, flags, expiration, cas };
}

/** `cas(item, opts)`: stores only if nobody changed the item since `gets` answered its token. */
export const CAS: KeySpec<'cas', CasArgs, StoreStatus, StoreResult> = {
  name: 'cas',
  input: casInput,
  options: secondOptions,
  answer: storeResult,
  binary(wire: BinaryWire, { key, value, flags, expiration, cas }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(storeRequest(OP_SET, key, value, flags, expiration, opaque, cas), opaque, readCas, key);
  },
  meta: (wire: MetaWire, { key, value, flags, expiration, cas }) =>
    wire.one(key, storeHeader(key, value, `F${flags} T${expiration} C${cas}`), readMeta, value),
  text: (wire: TextWire, { key, value, flags, expiration, cas }) =>
    wire.one(`${storeLine('cas', key, flags, expiration, value.length)} ${cas}\r\n`, readText, value),
};
