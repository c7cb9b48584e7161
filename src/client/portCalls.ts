// How the hot single-key commands call a port: functions made once per client (they hand down the
// client's KeyBytes), handed the wire key or item by CallRunner.run, so a call makes no closure.
import type { Item } from '../api/Item';
import type { KeyBytes } from '../core/KeyBytes';
import type { PortCall } from '../engine/CallRunner';
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
