/** An item as memcached stores it. */
export interface Item {
  readonly key: string;
  readonly value: Buffer;
  /** 32 opaque bits stored with the value. */
  readonly flags: number;
}
