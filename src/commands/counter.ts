import type { CallOptions } from '../api/CallOptions';
import type { CounterOptions } from '../api/CounterOptions';
import type { CounterResult } from '../api/results';
import { counterValue } from '../core/validation';
import type { BinaryWire } from '../memjs/BinaryWire';
import { COUNTER_NO_CREATE, OP_DECREMENT, OP_INCREMENT } from '../memjs/binaryProtocol';
import { counterRequest } from '../memjs/binaryRequest';
import { readCounter as readBinaryCounter } from '../memjs/responseReaders';
import type { MetaWire } from '../meta/MetaWire';
import { readCounter as readMetaCounter } from '../meta/metaRequests';
import type { TextResponse } from '../text/TextResponse';
import type { TextWire } from '../text/TextWire';
import { readCounter, storeStatus } from '../text/textRequests';
import { storeLine } from '../text/textWrites';
import { toBigCounter, toNumberCounter } from './answers';
import type { CommandParts } from './CommandParts';
import { counterPlan } from './counterPlan';
import type { KeySpec } from './KeySpec';
import type { KeyArgs } from './keyArgs';

/** A counter's move: by `delta`; an absent key is created with `initial` (when given) and `expiration`. */
export interface CounterArgs extends KeyArgs {
  readonly delta: bigint;
  readonly initial: bigint | undefined;
  readonly expiration: number;
  /** The call's own options, copied from the counter's. */
  readonly call: CallOptions | undefined;
  /** Whether the caller's delta was a bigint: the answer is then a bigint too. */
  readonly big: boolean;
}

const readAdded = (response: TextResponse) => storeStatus(response, 'exists');

/** The key checked, then the delta (1 by default), then the options. */
function counterInput(parts: CommandParts, key: unknown, delta: unknown, opts: unknown): CounterArgs {
  const wire = parts.key(key);
  const given = delta === undefined ? 1 : delta;
  const step = counterValue('delta', given);
  const { initial, expiration, call } = counterPlan(opts as CounterOptions, parts.unixSeconds, parts.expirations);
  return { key: wire, userKey: key as string, delta: step, initial, expiration, call, big: typeof given === 'bigint' };
}

/** `incr(key, delta, opts)` / `decr(...)`: the counter's new value; undefined when absent unless `initial` creates it. */
function counter<N extends 'incr' | 'decr'>(
  mode: N,
  opcode: number,
  metaMode: string,
): KeySpec<N, CounterArgs, bigint | undefined, CounterResult<number> | CounterResult<bigint>> {
  return {
    name: mode,
    input: counterInput,
    options: (args) => args.call,
    answer: (args) => (args.big ? toBigCounter : toNumberCounter),
    binary(wire: BinaryWire, { key, delta, initial, expiration }) {
      const opaque = wire.nextOpaque();
      const request =
        initial === undefined
          ? counterRequest(opcode, key, delta, 0n, COUNTER_NO_CREATE, opaque)
          : counterRequest(opcode, key, delta, initial, expiration, opaque);
      return wire.exchange(request, opaque, readBinaryCounter[mode], key);
    },
    meta(wire: MetaWire, { key, delta, initial, expiration }) {
      const create = initial === undefined ? '' : ` N${expiration} J${initial}`;
      return wire.one(key, `ma ${key} ${metaMode} D${delta} v${create}`, readMetaCounter);
    },
    // The text protocol creates no counter: an absent key with an `initial` is created by an `add`
    // of it (answering `initial`, as the binary protocol does), and moved again if another client
    // created it first.
    async text(wire: TextWire, { key, delta, initial, expiration }) {
      const move = `${mode} ${key} ${delta}\r\n`;
      const moved = await wire.one(move, readCounter);
      if (moved !== undefined || initial === undefined) return moved;
      const value = Buffer.from(String(initial), 'latin1');
      const created = await wire.one(`${storeLine('add', key, 0, expiration, value.length)}\r\n`, readAdded, value);
      return created === 'stored' ? initial : wire.one(move, readCounter);
    },
  };
}

export const INCR = counter('incr', OP_INCREMENT, 'MI');
export const DECR = counter('decr', OP_DECREMENT, 'MD');
