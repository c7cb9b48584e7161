import { type MemcachedProcess, startMemcached } from '../src/testing/memcached';

/**
 * A memcached process the benchmark can take down and bring back on the same port, in the two
 * ways an outage looks from a client: refused (the process is gone: connections are reset and new
 * ones refused) and black hole (SIGSTOP: the kernel still accepts connections and buffers requests,
 * nothing answers).
 */
export class ControlledMemcached {
  #process: MemcachedProcess;
  #stopped = false;

  private constructor(process: MemcachedProcess) {
    this.#process = process;
  }

  static async start(): Promise<ControlledMemcached> {
    return new ControlledMemcached(await startMemcached());
  }

  get address(): string {
    return this.#process.address;
  }

  /** Kills the process; resolves once it has exited. */
  async refuse(): Promise<void> {
    await this.#process.stop('SIGKILL');
  }

  /** Freezes the process: connections are accepted by the kernel and never answered. */
  blackHole(): void {
    this.#process.process.kill('SIGSTOP');
    this.#stopped = true;
  }

  /**
   * Ends the outage: thaws a frozen process, or starts a new one on the same port. Resolves when
   * it accepts connections again.
   */
  async restore(): Promise<void> {
    if (this.#stopped) {
      this.#process.process.kill('SIGCONT');
      this.#stopped = false;
      return;
    }
    this.#process = await startMemcached({ port: this.#process.port });
  }

  async stop(): Promise<void> {
    if (this.#stopped) this.#process.process.kill('SIGCONT');
    await this.#process.stop('SIGKILL');
  }
}
