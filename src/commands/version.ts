import { readVersion } from '../connection/lineRequests';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_VERSION } from '../memjs/binaryProtocol';
import { emptyRequest } from '../memjs/binaryRequest';
import { readVersion as readBinaryVersion } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { classic } from '../meta/metaRequests';
import type { TextWire } from '../text/TextWire';
import type { AdminSpec } from './AdminSpec';

const META_VERSION = classic('version\r\n', readVersion);

/** `version(opts)`: every server's version string, e.g. `1.6.21`. */
export const VERSION: AdminSpec<'version', string, Map<string, string>> = {
  name: 'version',
  answer: (answers) => answers,
  binary(wire: BinaryWire) {
    const opaque = wire.nextOpaque();
    return wire.exchange(emptyRequest(OP_VERSION, opaque), opaque, readBinaryVersion, '');
  },
  meta: (wire: MetaWire) => wire.send(META_VERSION),
  text: (wire: TextWire) => wire.one('version\r\n', readVersion),
};
