/** An item as memcached stores it. */
export interface Item {
  readonly key: string;
  readonly value: Buffer;
  /** 32 opaque bits stored with the value. */
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
export interface GetsItem extends Item {
  readonly cas: CasToken;
}
