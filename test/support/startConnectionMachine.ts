import { type AnyActorRef, createActor, fromPromise, SimulatedClock } from 'xstate';
import { type ConnectionInput, connectionMachine, type ProbeInput } from '../../machines/connectionMachine';

/** A probe the test settles by hand, counting how many run at once. */
function manualProbe() {
  const control = {
    started: 0,
    running: 0,
    maxRunning: 0,
    aborted: 0,
    settle: undefined as undefined | ((ok: boolean) => void),
  };
  const logic = fromPromise<unknown, ProbeInput>(
    ({ signal }) =>
      new Promise((resolve, reject) => {
        control.started++;
        control.running++;
        control.maxRunning = Math.max(control.maxRunning, control.running);
        const done = () => {
          control.running--;
          control.settle = undefined;
        };
        signal.addEventListener('abort', () => {
          control.aborted++;
          done();
        });
        control.settle = (ok) => {
          done();
          if (ok) resolve({ connection: 'new' });
          else reject(new Error('probe failed'));
        };
      }),
  );
  return { control, logic };
}

/**
 * A started connection machine on a simulated clock, with a hand-settled probe, its connection
 * actions logged, and `fail`/`succeed` reporting a call of the current (or a given) generation.
 */
export function startConnectionMachine(input: Partial<ConnectionInput> = {}) {
  const clock = new SimulatedClock();
  const probe = manualProbe();
  const log: string[] = [];
  const machine = connectionMachine.provide({
    actors: { probe: probe.logic },
    actions: {
      dropConnection: () => void log.push('drop'),
      adoptConnection: (_, params) => void log.push(`adopt ${JSON.stringify(params.connection)}`),
      releaseConnection: () => void log.push('release'),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: {
      allowedFailuresBeforeHealing: 3,
      recoveryDelayMs: 1000,
      maxRecoveryDelayMs: 4000,
      probeTimeoutMs: 300,
      ...input,
    },
  });
  actor.start();
  const fail = (generation = actor.getSnapshot().context.generation) => actor.send({ type: 'CALL.FAILED', generation });
  const succeed = (generation = actor.getSnapshot().context.generation) =>
    actor.send({ type: 'CALL.SUCCEEDED', generation });
  return { actor, clock, probe: probe.control, log, fail, succeed };
}

export const value = (actor: AnyActorRef) => actor.getSnapshot().value;
export const context = (actor: ReturnType<typeof startConnectionMachine>['actor']) => actor.getSnapshot().context;
