import type { Item } from '../api/Item';
import { oneHit } from '../commands/keyArgs';
import type { CommandKind } from '../core/channels';

// What each command publishes on the `reconnecting-memcached:command` TracingChannel: its name (the
// client's method) and, for reads, how many keys an answer found. Every `run` passes one of these;
// the commands declared in src/commands/ pass their spec.
export const GET: CommandKind<Item | undefined> = { name: 'get', hits: oneHit };
export const SET: CommandKind<void> = { name: 'set' };
export const PING: CommandKind<void> = { name: 'ping' };
