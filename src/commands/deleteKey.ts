import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_DELETE } from '../memjs/binaryProtocol';
import { keyRequest } from '../memjs/binaryRequest';
import { readDelete } from '../memjs/responseReaders';
import type { MetaResponse } from '../meta/MetaResponse';
import type { MetaWire } from '../meta/MetaWire';
import { NF, readFound as readMetaFound } from '../meta/metaRequests';
import type { TextResponse } from '../text/TextResponse';
import type { TextWire } from '../text/TextWire';
import { readFound } from '../text/textRequests';
import { answeredFalse, answeredTrue } from './answers';
import type { KeySpec } from './KeySpec';
import { type KeyArgs, keyInput, secondOptions } from './keyArgs';

const readDeleted = (response: MetaResponse): boolean => readMetaFound(response, 'md', NF);
const readDeletedLine = (response: TextResponse): boolean => readFound(response, 'delete', 'DELETED');

/** `delete(key, opts)`: true when the server answered, whether the key was there or not. */
export const DELETE: KeySpec<'delete', KeyArgs, boolean, boolean> = {
  name: 'delete',
  input: keyInput,
  options: secondOptions,
  answer: () => answeredTrue,
  notOk: answeredFalse,
  binary(wire: BinaryWire, { key }) {
    const opaque = wire.nextOpaque();
    return wire.exchange(keyRequest(OP_DELETE, key, opaque), opaque, readDelete, key);
  },
  meta: (wire: MetaWire, { key }) => wire.one(key, `md ${key}`, readDeleted),
  text: (wire: TextWire, { key }) => wire.one(`delete ${key}\r\n`, readDeletedLine),
};
