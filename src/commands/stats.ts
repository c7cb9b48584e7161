import { statsReader } from '../connection/lineRequests';
import type { BinaryWire } from '../memjs/BinaryWire';
import { statsReader as binaryStatsReader } from '../memjs/batchReaders';
import { OP_STAT } from '../memjs/binaryProtocol';
import { emptyRequest } from '../memjs/binaryRequest';
import type { MetaWire } from '../meta/MetaWire';
import type { Batch } from '../meta/metaBatches';
import type { TextWire } from '../text/TextWire';
import type { AdminSpec } from './AdminSpec';

const STATS_LINE = 'stats\r\n';
const META_STATS: Batch<Map<string, string>> = { write: (writer) => writer.write(STATS_LINE), request: statsReader };
const TEXT_STATS = { bytes: STATS_LINE, request: statsReader };

/** `stats(opts)`: every server's general statistics, by name, as memcached sends them. */
export const STATS: AdminSpec<'stats', Map<string, string>, Map<string, Map<string, string>>> = {
  name: 'stats',
  answer: (answers) => answers,
  // One response per statistic (key: name, value: value), then one with neither.
  binary(wire: BinaryWire) {
    const opaque = wire.nextOpaque();
    return wire.exchange(emptyRequest(OP_STAT, opaque), opaque, binaryStatsReader(), '');
  },
  meta: (wire: MetaWire) => wire.send(META_STATS),
  text: (wire: TextWire) => wire.batch(TEXT_STATS),
};
