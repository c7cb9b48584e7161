import { describe, expect, it } from 'vitest';
import { startConnectionMachine as start, value } from '../../support/startConnectionMachine';

function toValue(path: string) {
  const [parent, child] = path.split('.');
  return (child ? { [parent as string]: child } : parent) as never;
}

describe('connectionMachine: close', () => {
  const reach = {
    connected: async (_: ReturnType<typeof start>) => {},
    degraded: async (t: ReturnType<typeof start>) => t.fail(),
    'reconnecting.waiting': async (t: ReturnType<typeof start>) => {
      for (let i = 0; i < 3; i++) t.fail();
    },
    'reconnecting.probing': async (t: ReturnType<typeof start>) => {
      for (let i = 0; i < 3; i++) t.fail();
      t.clock.increment(t.actor.getSnapshot().context.nextDelayMs);
    },
  };

  it.each(Object.keys(reach) as Array<keyof typeof reach>)(
    'from %s: final, releases the connection, cancels timers and the probe',
    async (state) => {
      const t = start();
      await reach[state](t);
      expect(t.actor.getSnapshot().matches(toValue(state))).toBe(true);
      t.actor.send({ type: 'CLOSE' });
      expect(value(t.actor)).toBe('closed');
      expect(t.actor.getSnapshot().status).toBe('done');
      expect(t.log.at(-1)).toBe('release');
      expect(t.probe.running).toBe(0);
      // No pending delayed event or probe timeout can fire later.
      const started = t.probe.started;
      t.clock.increment(1_000_000);
      expect(t.probe.started).toBe(started);
      expect(value(t.actor)).toBe('closed');
    },
  );
});
