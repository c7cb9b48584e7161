import { enqueueActions, setup } from 'xstate';
import { closedState } from './closedState';
import { type ConnectionInput, connectionMachine } from './connectionMachine';

/** One member of the pool. */
export interface PoolServer {
  /** `host:port`, never with credentials: the id of the server's connection actor. */
  readonly id: string;
  /** Its share of the keys (see src/distribution); shown here so the inspector tells the whole config. */
  readonly weight: number;
}

export interface PoolInput {
  readonly servers: readonly PoolServer[];
  /** What every connection actor is created with. */
  readonly connection: ConnectionInput;
}

export interface PoolContext {
  servers: readonly PoolServer[];
  readonly connection: ConnectionInput;
}

export type PoolEvent =
  /**
   * The new membership: kept ids keep their actor, new ones get one, missing ones are closed.
   * Ids in `restart` (e.g. a server whose credentials changed) are closed and started afresh.
   */
  { type: 'SERVERS.SET'; servers: readonly PoolServer[]; restart?: readonly string[] } | { type: 'CLOSE' };

/**
 * A pool of memcached servers: one connection actor per server, spawned as a child with the
 * server's id, so the inspector shows the cluster as a system of actors and each server heals on
 * its own schedule. The pool decides who is a member; each child decides its own health.
 *
 * running --SERVERS.SET--> running (children closed / spawned) --CLOSE--> closed (final).
 *
 * Closing a child goes through its CLOSE (not a bare stop), so its `releaseConnection` runs and
 * the sockets of a removed server are closed. Pure like the connection machine: the facade injects
 * the children's I/O by providing `connection`.
 */
export const poolMachine = setup({
  types: {
    context: {} as PoolContext,
    events: {} as PoolEvent,
    input: {} as PoolInput,
    children: {} as Record<string, 'connection'>,
  },
  actors: { connection: connectionMachine },
  guards: {
    isValidMembership: ({ event }) => event.type === 'SERVERS.SET' && isValidMembership(event.servers),
  },
  actions: {
    spawnConnections: enqueueActions(({ context, enqueue }) => {
      for (const server of context.servers) {
        enqueue.spawnChild('connection', { id: server.id, input: context.connection });
      }
    }),
    changeMembership: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'SERVERS.SET') return;
      const restart = new Set(event.restart);
      const next = new Set(event.servers.map((server) => server.id));
      const kept = new Set(context.servers.map((server) => server.id).filter((id) => next.has(id) && !restart.has(id)));
      const children = self.getSnapshot().children;
      for (const server of context.servers) {
        if (kept.has(server.id)) continue;
        const child = children[server.id];
        if (child) enqueue.sendTo(child, { type: 'CLOSE' });
        enqueue.stopChild(server.id);
      }
      for (const server of event.servers) {
        if (!kept.has(server.id)) enqueue.spawnChild('connection', { id: server.id, input: context.connection });
      }
      enqueue.assign({ servers: event.servers });
    }),
    closeConnections: enqueueActions(({ enqueue, self }) => {
      for (const child of Object.values(self.getSnapshot().children)) {
        if (child) enqueue.sendTo(child, { type: 'CLOSE' });
      }
    }),
  },
}).createMachine({
  id: 'pool',
  context: ({ input }) => ({ servers: input.servers, connection: input.connection }),
  initial: 'running',
  states: {
    running: {
      description: 'Every member has a connection actor; calls are routed to them by the facade.',
      entry: 'spawnConnections',
      on: {
        'SERVERS.SET': { guard: 'isValidMembership', actions: 'changeMembership' },
        CLOSE: { target: 'closed' },
      },
    },
    closed: closedState(
      'close() was called: every connection actor was closed, then stopped with the pool.',
      'closeConnections',
    ),
  },
});

export type PoolMachine = typeof poolMachine;

/** At least one server and no id twice: the facade validates first; the machine refuses anything else. */
export function isValidMembership(servers: readonly PoolServer[]): boolean {
  return servers.length > 0 && new Set(servers.map((server) => server.id)).size === servers.length;
}
