import type { StoreResult } from '../api/results';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_ADD, OP_REPLACE } from '../memjs/binaryProtocol';
import { storeRequest } from '../memjs/binaryRequest';
import { readStore } from '../memjs/responseReaders';
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

const storeResult = (): ((status: StoreStatus) => StoreResult) => toStoreResult;

/**
 * `add(item, opts)` / `replace(item, opts)`: a store only if the key is absent / present. A refusal
 * is named as the binary protocol names it: `exists` for an add, `not_found` for a replace.
 */
function conditionalStore<N extends 'add' | 'replace'>(
  mode: N,
  opcode: number,
  metaMode: string,
  refused: StoreStatus,
): KeySpec<N, StoreArgs, StoreStatus, StoreResult> {
  const readMeta = (response: MetaResponse) => metaStoreStatus(response, refused);
  const readText = (response: TextResponse) => storeStatus(response, refused);
  return {
    name: mode,
    input: (parts: CommandParts, item: unknown) => parts.item(item, mode),
    options: secondOptions,
    answer: storeResult,
    binary(wire: BinaryWire, { key, value, flags, expiration }) {
      const opaque = wire.nextOpaque();
      return wire.exchange(storeRequest(opcode, key, value, flags, expiration, opaque), opaque, readStore[mode], key);
    },
    meta: (wire: MetaWire, { key, value, flags, expiration }) =>
      wire.one(key, storeHeader(key, value, `F${flags} T${expiration} ${metaMode}`), readMeta, value),
    text: (wire: TextWire, { key, value, flags, expiration }) =>
      wire.one(`${storeLine(mode, key, flags, expiration, value.length)}\r\n`, readText, value),
  };
}

export const ADD = conditionalStore('add', OP_ADD, 'ME', 'exists');
export const REPLACE = conditionalStore('replace', OP_REPLACE, 'MR', 'not_found');
