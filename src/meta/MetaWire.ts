import type { MetaResponse } from './MetaResponse';
import type { Batch } from './metaBatches';
import type { GiveBack } from './metaRequests';

/** What the meta adapter offers a command's meta part (`src/commands/`). */
export interface MetaWire {
  /**
   * A request of one answer: `line` (without its opaque and CRLF), then `value` for a store,
   * answered by what `read` makes of the answer. With `giveBack` (a plain read), a win of a stale
   * item's refresh is given back before the answer is delivered.
   */
  one<T>(
    key: string,
    line: string,
    read: (response: MetaResponse, key: string) => T,
    value?: Buffer,
    giveBack?: GiveBack,
  ): Promise<T>;
  /** A request of several answers (a batch, or a classic command such as `stats`). */
  send<T>(batch: Batch<T>): Promise<T>;
  /** Gives back the refresh a plain read won (the port's own, made once). */
  readonly giveBack: GiveBack;
}
