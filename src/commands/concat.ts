import type { StoreResult } from '../api/results';
import { validateValue } from '../core/validation';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_APPEND, OP_PREPEND } from '../memjs/binaryProtocol';
import { concatRequest } from '../memjs/binaryRequest';
import { readConcat } from '../memjs/responseReaders';
import type { MetaResponse } from '../meta/MetaResponse';
import type { MetaWire } from '../meta/MetaWire';
import { storeStatus as metaStoreStatus, storeHeader } from '../meta/metaRequests';
import type { StoreStatus } from '../port/MemcachedPort';
import type { TextResponse } from '../text/TextResponse';
import type { TextWire } from '../text/TextWire';
import { storeStatus } from '../text/textRequests';
import { storeLine } from '../text/textWrites';
import { toStoreResult } from './answers';
import type { CommandParts } from './CommandParts';
import type { KeySpec } from './KeySpec';
import { type KeyArgs, thirdOptions } from './keyArgs';

/** The bytes to append or prepend to a key's value. */
export interface ConcatArgs extends KeyArgs {
  readonly value: Buffer;
}

const readMeta = (response: MetaResponse) => metaStoreStatus(response, 'not_stored');
const readText = (response: TextResponse) => storeStatus(response, 'not_stored');
const storeResult = (): ((status: StoreStatus) => StoreResult) => toStoreResult;

/** The key checked, then the value: raw bytes (a string as UTF-8; the codec is not applied). */
function concatInput(parts: CommandParts, key: unknown, raw: unknown): ConcatArgs {
  const wire = parts.key(key);
  validateValue(raw);
  return { key: wire, userKey: key as string, value: typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw };
}

/** `append(key, value, opts)` / `prepend(...)`: `not_stored` when the key is absent; flags and expiration stay. */
function concat<N extends 'append' | 'prepend'>(
  mode: N,
  opcode: number,
  metaMode: string,
): KeySpec<N, ConcatArgs, StoreStatus, StoreResult> {
  return {
    name: mode,
    input: concatInput,
    options: thirdOptions,
    answer: storeResult,
    binary(wire: BinaryWire, { key, value }) {
      const opaque = wire.nextOpaque();
      return wire.exchange(concatRequest(opcode, key, value, opaque), opaque, readConcat[mode], key);
    },
    meta: (wire: MetaWire, { key, value }) => wire.one(key, storeHeader(key, value, metaMode), readMeta, value),
    text: (wire: TextWire, { key, value }) =>
      wire.one(`${storeLine(mode, key, 0, 0, value.length)}\r\n`, readText, value),
  };
}

export const APPEND = concat('append', OP_APPEND, 'MA');
export const PREPEND = concat('prepend', OP_PREPEND, 'MP');
