import type { TouchResult } from '../api/results';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_TOUCH } from '../memjs/binaryProtocol';
import { expirationRequest } from '../memjs/binaryRequest';
import { foundOf } from '../memjs/binaryResponse';
import type { ResponseReader } from '../memjs/responseReaders';
import type { MetaResponse } from '../meta/MetaResponse';
import type { MetaWire } from '../meta/MetaWire';
import { EN, readFound as readMetaFound } from '../meta/metaRequests';
import type { TextResponse } from '../text/TextResponse';
import type { TextWire } from '../text/TextWire';
import { readFound } from '../text/textRequests';
import type { KeySpec } from './KeySpec';
import { type KeyExpiration, keyExpirationInput, thirdOptions } from './keyArgs';

const readBinary: ResponseReader<boolean> = (response) => foundOf('TOUCH', response);
// `mg <key> T<exp>`: HD found, EN not found.
const readMeta = (response: MetaResponse): boolean => readMetaFound(response, 'mg', EN);
const readText = (response: TextResponse): boolean => readFound(response, 'touch', 'TOUCHED');

const FOUND: TouchResult = Object.freeze({ ok: true, found: true });
const NOT_FOUND: TouchResult = Object.freeze({ ok: true, found: false });
const toTouchResult = (found: boolean): TouchResult => (found ? FOUND : NOT_FOUND);

/** `touch(key, expiration, opts)`: a new expiration without fetching; whether the key was there. */
export const TOUCH: KeySpec<'touch', KeyExpiration, boolean, TouchResult> = {
  name: 'touch',
  input: keyExpirationInput,
  options: thirdOptions,
  answer: () => toTouchResult,
  binary(wire: BinaryWire, { key, expiration }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(expirationRequest(OP_TOUCH, key, expiration, opaque), opaque, readBinary, key);
  },
  meta: (wire: MetaWire, { key, expiration }) =>
    wire.one(key, `mg ${key} T${expiration}`, readMeta, undefined, wire.giveBack),
  text: (wire: TextWire, { key, expiration }) => wire.one(`touch ${key} ${expiration}\r\n`, readText),
};
