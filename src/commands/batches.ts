import type { Item } from '../api/Item';
import type { BinaryWire } from '../memjs/BinaryWire';
import { deleteMultiReader, getMultiReader, setMultiReader } from '../memjs/batchReaders';
import { OP_DELETEQ, OP_GETKQ, OP_NOOP, OP_SETQ } from '../memjs/binaryProtocol';
import { multiKeyRequest, multiStoreRequest } from '../memjs/pipelinedRequest';
import type { MetaWire } from '../meta/MetaWire';
import {
  deleteMultiBatch as metaDeleteMulti,
  getMultiBatch as metaGetMulti,
  setMultiBatch as metaSetMulti,
} from '../meta/metaBatches';
import type { WireItem } from '../port/MemcachedPort';
import type { PortCommand } from '../port/PortCommand';
import type { TextWire } from '../text/TextWire';
import {
  deleteMultiBatch as textDeleteMulti,
  getMultiBatch as textGetMulti,
  setMultiBatch as textSetMulti,
} from '../text/textBatches';

// The commands over many keys of one server, as each protocol pipelines them. The client splits a
// call's keys by server and runs one of these on each (src/client/BatchCommands.ts). An empty list
// asks nothing.

/** A batch command: the client's method it is, and for a read how many keys an answer found. */
export interface BatchSpec<N extends string, A, T> extends PortCommand<A, T> {
  readonly name: N;
  readonly hits?: (value: T) => number;
}

/** `getMulti`: only the hits are in the map. */
export const GET_MULTI: BatchSpec<'getMulti', readonly string[], Map<string, Item>> = {
  name: 'getMulti',
  hits: (items) => items.size,
  // One GETKQ per key (quiet: only hits answer) and one NOOP, written in one go, all with the same
  // opaque, so one quiet handler collects the hits until the NOOP's empty reply.
  binary(wire: BinaryWire, keys) {
    if (keys.length === 0) return Promise.resolve(new Map());
    const opaque = wire.nextOpaque();
    return wire.exchange(multiKeyRequest(OP_GETKQ, OP_NOOP, keys, opaque), opaque, getMultiReader(keys), '');
  },
  meta: (wire: MetaWire, keys) =>
    keys.length === 0 ? Promise.resolve(new Map()) : wire.send(metaGetMulti(keys, wire.giveBack)),
  text: (wire: TextWire, keys) =>
    keys.length === 0 ? Promise.resolve(new Map()) : wire.batch(textGetMulti(keys, wire.retireOnRefusal())),
};

/** `setMulti`: the keys memcached refused. */
export const SET_MULTI: BatchSpec<'setMulti', readonly WireItem[], string[]> = {
  name: 'setMulti',
  // One SETQ per item, each with its own opaque (a refusal carries no key), and one NOOP.
  binary(wire: BinaryWire, items) {
    if (items.length === 0) return Promise.resolve([]);
    const opaques = new Array<number>(items.length);
    for (let i = 0; i < items.length; i++) opaques[i] = wire.nextOpaque();
    const end = wire.nextOpaque();
    const read = setMultiReader(items, opaques, end);
    return wire.exchange(multiStoreRequest(OP_SETQ, OP_NOOP, items, opaques, end), end, read, '', opaques);
  },
  meta: (wire: MetaWire, items) => (items.length === 0 ? Promise.resolve([]) : wire.send(metaSetMulti(items))),
  text: (wire: TextWire, items) => (items.length === 0 ? Promise.resolve([]) : wire.batch(textSetMulti(items))),
};

/** `deleteMulti`: absent keys are not an error. */
export const DELETE_MULTI: BatchSpec<'deleteMulti', readonly string[], void> = {
  name: 'deleteMulti',
  binary(wire: BinaryWire, keys) {
    if (keys.length === 0) return Promise.resolve();
    const opaque = wire.nextOpaque();
    return wire.exchange(multiKeyRequest(OP_DELETEQ, OP_NOOP, keys, opaque), opaque, deleteMultiReader(), '');
  },
  meta: (wire: MetaWire, keys) => (keys.length === 0 ? Promise.resolve() : wire.send(metaDeleteMulti(keys))),
  text: (wire: TextWire, keys) => (keys.length === 0 ? Promise.resolve() : wire.batch(textDeleteMulti(keys))),
};

/** The batch commands a port runs (the client's own methods split the keys by server). */
export const BATCH_COMMANDS = [GET_MULTI, SET_MULTI, DELETE_MULTI] as const;

/** Their names: the client's methods. */
export type BatchCommandName = (typeof BATCH_COMMANDS)[number]['name'];
