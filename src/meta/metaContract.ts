// The port contract's types for the commands beyond get/set/delete (PLAN.md), until they are in
// src/port/MemcachedPort.ts.
import type { Item } from '../api/Item';

export type StoreMode = 'set' | 'add' | 'replace';
export type StoreStatus = 'stored' | 'exists' | 'not_found' | 'not_stored';
export interface WireItem {
  readonly key: string;
  readonly value: Buffer;
  readonly flags: number;
  readonly expiration: number;
}
export interface CasItem extends Item {
  readonly cas: bigint;
}
