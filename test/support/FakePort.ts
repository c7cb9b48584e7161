import { ConnectionError } from '../../src/core/errors';
import type { Item, MemcachedPort } from '../../src/port/MemcachedPort';
import type { PortCommand } from '../../src/port/PortCommand';
import type { FakeMemcached } from './FakeMemcached';
import { FAKE_COMMANDS, type FakeCommand, plain } from './fakeCommands';

/**
 * One connection to a FakeMemcached: answers each command from the fake's store, as memcached
 * would, once the fake's mode lets the call through.
 */
export class FakePort implements MemcachedPort {
  closed = false;
  /** Answers that reached this port (a test may move it by hand: bytes for nobody). */
  received = 0;
  readonly #server: FakeMemcached;

  constructor(server: FakeMemcached) {
    this.#server = server;
  }

  get(key: string): Promise<Item | undefined> {
    return this.#server.run(this, 'get', () => plain(this.#server.store.get(key)));
  }

  set(key: string, value: Buffer, flags: number): Promise<void> {
    return this.#server.run(this, 'set', () => this.#server.put(key, value, flags));
  }

  /** The spec commands (src/commands/), each answered from the store by the command's name. */
  command<A, T>(command: PortCommand<A, T>, args: A): Promise<T> {
    const answer = (FAKE_COMMANDS as unknown as Record<string, FakeCommand<A>>)[command.name];
    if (answer === undefined) return Promise.reject(new Error(`the fake has no ${command.name}`));
    return this.#server.run(this, command.name, () => answer(this.#server, args) as T);
  }

  ping(): Promise<void> {
    return this.#server.run(this, 'ping', () => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Like the memjs adapter: calls still held on this port fail now.
    const server = this.#server;
    if (server.keepCallsOnClose) return;
    for (let i = server.pending.length - 1; i >= 0; i--) {
      const call = server.pending[i]!;
      if (call.port === this) {
        server.pending.splice(i, 1);
        call.reject(new ConnectionError(new Error('connection closed by the client')));
      }
    }
  }
}
