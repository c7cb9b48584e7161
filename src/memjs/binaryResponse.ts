// What a response means, per command: memcached's refusals that are answers (exists, not found,
// not stored) are values; any other error status is a ServerError (the link is fine).
import type { Item } from '../api/Item';
import { ServerError } from '../core/errors';
import { isPlaceholderItem } from '../port/LeasePort';
import type { CasItem, StoreStatus } from '../port/MemcachedPort';
import { STATUS_KEY_EXISTS, STATUS_KEY_NOT_FOUND, STATUS_NOT_STORED, STATUS_OK, STATUS_TEXT } from './binaryProtocol';
import type { InPlaceResponse } from './memjsServer';

/** The error of a response with an error status that is not an answer. */
export function statusError(command: string, status: number): ServerError {
  return new ServerError(new Error(`MemJS ${command}: ${STATUS_TEXT[status] ?? `status 0x${status.toString(16)}`}`));
}

/**
 * GET, GAT: the item, or undefined when absent. A fetch's placeholder (over meta, from any client)
 * is a key being loaded, not a value: absent too.
 */
export function itemOf(command: string, key: string, response: InPlaceResponse): Item | undefined {
  const status = response.status;
  if (status === STATUS_OK) {
    const value = response.val;
    const flags = response.flags();
    return isPlaceholderItem(value, flags) ? undefined : { key, value, flags };
  }
  if (status === STATUS_KEY_NOT_FOUND) return undefined;
  throw statusError(command, status);
}

/** GET or GAT with the CAS value. */
export function casItemOf(command: string, key: string, response: InPlaceResponse): CasItem | undefined {
  const item = itemOf(command, key, response);
  return item && { ...item, cas: response.cas() };
}

/** SET, ADD, REPLACE, CAS, APPEND, PREPEND. */
export function storeStatusOf(command: string, response: InPlaceResponse): StoreStatus {
  switch (response.status) {
    case STATUS_OK:
      return 'stored';
    case STATUS_KEY_EXISTS:
      return 'exists';
    case STATUS_KEY_NOT_FOUND:
      return 'not_found';
    case STATUS_NOT_STORED:
      return 'not_stored';
    default:
      throw statusError(command, response.status);
  }
}

/** DELETE, TOUCH: whether the key was there. */
export function foundOf(command: string, response: InPlaceResponse): boolean {
  const status = response.status;
  if (status === STATUS_OK) return true;
  if (status === STATUS_KEY_NOT_FOUND) return false;
  throw statusError(command, status);
}

/** INCREMENT, DECREMENT: the new value (64 bits), or undefined when absent and not created. */
export function counterOf(command: string, response: InPlaceResponse): bigint | undefined {
  const status = response.status;
  if (status === STATUS_OK) return response.val.readBigUInt64BE(0);
  if (status === STATUS_KEY_NOT_FOUND) return undefined;
  throw statusError(command, status);
}

/** SET, FLUSH, VERSION...: nothing to read but success. */
export function okOf(command: string, response: InPlaceResponse): void {
  if (response.status !== STATUS_OK) throw statusError(command, response.status);
}
