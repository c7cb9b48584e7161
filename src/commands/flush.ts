import { readOk } from '../connection/lineRequests';
import type { BinaryWire } from '../memjs/BinaryWire';
import { OP_FLUSH } from '../memjs/binaryProtocol';
import { emptyRequest } from '../memjs/binaryRequest';
import { readFlush } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { classic } from '../meta/metaRequests';
import type { TextWire } from '../text/TextWire';
import type { AdminSpec } from './AdminSpec';
import { answeredNothing } from './answers';

const FLUSH_ALL = classic('flush_all\r\n', readOk);

/** `flush(opts)`: invalidates every item on every server, now. */
export const FLUSH: AdminSpec<'flush', void, void> = {
  name: 'flush',
  answer: answeredNothing,
  binary(wire: BinaryWire) {
    const opaque = wire.nextOpaque();
    return wire.exchange(emptyRequest(OP_FLUSH, opaque), opaque, readFlush, '');
  },
  meta: (wire: MetaWire) => wire.send(FLUSH_ALL),
  text: (wire: TextWire) => wire.one('flush_all\r\n', readOk),
};
