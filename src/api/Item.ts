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

declare const casTokenBrand: unique symbol;

/**
 * memcached's CAS value of an item, exactly (all 64 bits): what `gets` answers and `cas` takes
 * back. Opaque: a bigint underneath, branded so that an arbitrary number or bigint does not pass
 * for one by accident.
 */
export type CasToken = bigint & { readonly [casTokenBrand]: true };

/** An item with its CAS token, as `gets` answers it. */
export interface GetsItem<V = Buffer> extends Item<V> {
  readonly cas: CasToken;
}
