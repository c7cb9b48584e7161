// How the hot single-key commands call a port: functions made once (per module, or per client where
// they hand down the client's KeyBytes), handed the wire key or item by CallRunner.run, so a call
// makes no closure.
import type { Item } from '../api/Item';
import type { KeyBytes } from '../core/KeyBytes';
import type { PortCall } from '../engine/CallRunner';
import type { MemcachedPort } from '../port/MemcachedPort';
import type { Outgoing } from './outgoing';

/** `get`, delivered to the call's outcome when the port can, with the bytes the key's validation kept. */
export const portGetWith =
  (kept: KeyBytes): PortCall<string, Item | undefined> =>
  (port, wire, outcome) => {
    if (port.getInto === undefined) return port.get(wire);
    port.getInto(wire, outcome, kept);
    return undefined;
  };

/** `set`, as `portGetWith` does `get`. */
export const portSetWith =
  (kept: KeyBytes): PortCall<Outgoing, void> =>
  (port, out, outcome) => {
    if (port.setInto === undefined) return port.set(out.key, out.value, out.flags, out.expiration);
    port.setInto(out, outcome, kept);
    return undefined;
  };

export const portGets = (port: MemcachedPort, wire: string) => port.gets(wire);
export const portDelete = (port: MemcachedPort, wire: string) => port.delete(wire);
