import type { Item } from '../api/Item';
import type { TextResponse } from './TextResponse';
import type { TextBatch } from './textBatches';

/** What the text adapter offers a command's text part (`src/commands/`). Answers are paired by order. */
export interface TextWire {
  /** A request of one answer line, read by `read`; `value` and its CRLF follow the line (a store). */
  one<T>(line: string, read: (response: TextResponse) => T, value?: Buffer): Promise<T>;
  /**
   * What a getMulti refused by an error line calls: twemproxy then closes the connection, so the
   * connection the batch goes on is retired (the next calls open another).
   */
  retireOnRefusal(): () => void;
  /** A request of several answers (a batch, or `stats`). */
  batch<T>(batch: TextBatch<T>): Promise<T>;
  /** One key's retrieval (`get`, `gets`, `gat`): `line` (with its CRLF) sent, the item or a miss. */
  retrieve<I extends Item>(command: string, key: string, withCas: boolean, line: string): Promise<I | undefined>;
}
