import { FakeMemcached, refusedError } from '../support/FakeMemcached';
import type { HeldOp, ModelServer, ServerMode } from './ModelServer';

/**
 * The model suites' server as a fake port (FakeMemcached): every fault exact and synchronous, and the
 * one way a result can arrive from a dropped connection.
 */
export class FakePortServer implements ModelServer {
  readonly fake: FakeMemcached;
  readonly lateResults: boolean;

  /**
   * `keepCallsOnClose`: closing a port leaves the calls held on it pending, as memjs's own `close()`
   * did (memjs #162): the hard case for the facade, and the only way a stale result can arrive.
   */
  constructor(keepCallsOnClose: boolean, fake = new FakeMemcached()) {
    this.fake = fake;
    fake.keepCallsOnClose = keepCallsOnClose;
    this.lateResults = keepCallsOnClose;
  }

  get factory() {
    return this.fake.factory;
  }

  get mode(): ServerMode {
    return this.fake.mode as ServerMode;
  }

  set mode(mode: ServerMode) {
    this.fake.mode = mode;
  }

  get calls(): number {
    return this.fake.calls.length;
  }

  get portsMade(): number {
    return this.fake.ports.length;
  }

  get openPorts(): number {
    return this.fake.openPorts;
  }

  get connections(): number {
    return this.fake.openPorts;
  }

  reached(op: HeldOp): number {
    return this.fake.calls.filter((call) => call === op).length;
  }

  answer(op: HeldOp): void {
    this.#settle(op, { value: undefined });
  }

  refuse(op: HeldOp): void {
    this.#settle(op, { error: refusedError() });
  }

  // The fake answers within the call: what is not so now never will be.
  until(done: () => boolean, what: string): Promise<void> {
    return done() ? Promise.resolve() : Promise.reject(new Error(`not so: ${what}`));
  }

  async stop(): Promise<void> {}

  // The newest: a hung probe's ping stays held on its closed port (keepCallsOnClose), the next
  // probe's is the one to settle.
  #settle(op: HeldOp, outcome: { value?: unknown } | { error: unknown }): void {
    const call = this.fake.pending.findLast((pending) => pending.op === op);
    if (!call) throw new Error(`no ${op} held`);
    this.fake.settleNext(outcome, { op, port: call.port });
  }
}
