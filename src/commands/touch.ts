import type { TouchResult } from '../api/results';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_TOUCH } from '../memjs/binaryProtocol';
import { expirationRequest } from '../memjs/binaryRequest';
import { readTouch } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { readTouched } from '../meta/metaRequests';
import type { TextResponse } from '../text/TextResponse';
import type { TextWire } from '../text/TextWire';
import { readFound } from '../text/textRequests';
import { toTouchResult } from './answers';
import type { KeySpec } from './KeySpec';
import { type KeyExpiration, keyExpirationInput, thirdOptions } from './keyArgs';

const readTouchedLine = (response: TextResponse): boolean => readFound(response, 'touch', 'TOUCHED');
const touchResult = (): ((found: boolean) => TouchResult) => toTouchResult;

/** `touch(key, expiration, opts)`: a new expiration without fetching; whether the key was there. */
export const TOUCH: KeySpec<'touch', KeyExpiration, boolean> = {
  name: 'touch',
  input: keyExpirationInput,
  options: thirdOptions,
  answer: touchResult,
  binary(wire: BinaryWire, { key, expiration }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(expirationRequest(OP_TOUCH, key, expiration, opaque), opaque, readTouch, key);
  },
  meta: (wire: MetaWire, { key, expiration }) =>
    wire.one(key, `mg ${key} T${expiration}`, readTouched, undefined, wire.giveBack),
  text: (wire: TextWire, { key, expiration }) => wire.one(`touch ${key} ${expiration}\r\n`, readTouchedLine),
};
