import { SimulatedClock } from 'xstate';
import type { Client, GetResult, StateChange } from '../../src/api/Client';
import { createClientWithPort } from '../../src/client/createClient';
import type { Command } from '../support/commandTable';
import { FakeMemcached } from '../support/FakeMemcached';
import { type PENDING, settledNow } from '../support/settledNow';
import type { ReferenceOptions } from './ReferenceConnection';

export interface Options extends ReferenceOptions {
  readonly connectTimeoutMs: number;
}

/** The facade over the fake port and a simulated clock, with its random source drawn from `jitters`. */
export class PropertyHarness {
  readonly fake = new FakeMemcached();
  readonly clock = new SimulatedClock();
  readonly cache: Client;
  readonly reports: StateChange[] = [];
  /** Actions run so far. */
  actions = 0;
  #held: Promise<GetResult> | undefined;
  #draws = 0;
  lastJitter = Number.NaN;

  constructor(options: Options, jitters: readonly number[]) {
    this.fake.keepCallsOnClose = options.keepCallsOnClose;
    this.cache = createClientWithPort(
      {
        servers: 'fake:11211',
        allowedFailuresBeforeHealing: options.limit,
        recoveryDelayMs: options.recoveryDelayMs,
        maxRecoveryDelayMs: options.maxRecoveryDelayMs,
        timeoutMs: options.timeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
        clock: this.clock,
      },
      this.fake.factory,
      {
        random: () => {
          this.lastJitter = jitters[this.#draws++ % jitters.length]!;
          return this.lastJitter;
        },
      },
    );
    this.cache.subscribe((change) => this.reports.push(change));
  }

  /** One call of `command` with the fake in `mode`: its answer, and whether it reached memcached. */
  async call(mode: FakeMemcached['mode'], command: Command): Promise<{ result: unknown; reached: boolean }> {
    this.fake.mode = mode;
    const before = this.fake.calls.length;
    const result = await command.call(this.cache);
    return { result, reached: this.fake.calls.length > before };
  }

  hold(): { reached: boolean; settled: Promise<GetResult | typeof PENDING> } {
    // Earlier held gets are over for the client (timed out, dropped or closed): memcached never
    // answers them, so the next settleNext reaches this one.
    const others = this.fake.pending.filter((call) => call.op !== 'get');
    this.fake.pending.splice(0, this.fake.pending.length, ...others);
    this.fake.mode = 'manual';
    const before = this.fake.calls.length;
    const held = this.cache.get('held');
    this.#held = held;
    return { reached: this.fake.calls.length > before, settled: settledNow(held) };
  }

  /** The held call's answer if it has one by now (all promise callbacks run), else PENDING. */
  held(): Promise<GetResult | typeof PENDING> {
    return settledNow(this.#held!);
  }
}

/** The connection's phase as the reference names it: its state, the reconnecting substate, or closed. */
export function phaseOf(cache: Client): string {
  const snapshot = cache.connectionActor().getSnapshot();
  if (snapshot.status !== 'active') return 'closed';
  const value = snapshot.value;
  return typeof value === 'string' ? value : value.reconnecting;
}
