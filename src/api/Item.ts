/**
 * An item as a read answers it: `value` is what the client's codec decoded (the stored bytes with
 * the default raw codec).
 */
export interface Item<V = Buffer> {
  readonly key: string;
  readonly value: V;
  /** The 32 bits stored with the value (with a codec, the codec's own flag bits). */
  readonly flags: number;
}
