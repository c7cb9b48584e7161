import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultProxy } from '../../src/testing/FaultProxy';
import { type MemcachedProcess, type StartMemcachedOptions, tempSocketPath } from '../../src/testing/memcached';
import { bridge, memcachedOver, type Transport } from './transports';

/** A real memcached over a transport, behind a {@link FaultProxy} the test switches faults on. */
export interface FaultyMemcached {
  readonly memcached: MemcachedProcess;
  readonly proxy: FaultProxy;
  /** The address to give the client: the proxy's (over UNIX, a socket path in front of it). */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * memcached over `transport` with a fault proxy in the path. TLS passes through the TCP proxy
 * untouched (the client's handshake is with memcached itself); over UNIX, bridges put the proxy
 * between two socket paths: the client's and memcached's (`-s`).
 */
export async function faultyMemcached(
  transport: Transport,
  options: StartMemcachedOptions = {},
): Promise<FaultyMemcached> {
  const memcached = await memcachedOver(transport, options);
  if (transport !== 'unix') {
    const proxy = await FaultProxy.start({ port: memcached.port });
    return {
      memcached,
      proxy,
      address: proxy.address,
      async stop() {
        await proxy.close();
        await memcached.stop();
      },
    };
  }
  const back = await bridge({ port: 0 }, { path: memcached.address });
  const proxy = await FaultProxy.start({ port: Number(back.address.split(':')[1]) });
  const path = tempSocketPath('front.sock');
  const front = await bridge({ path }, { port: proxy.port });
  return {
    memcached,
    proxy,
    address: path,
    async stop() {
      await front.close();
      await proxy.close();
      await back.close();
      await memcached.stop();
      rmSync(dirname(path), { recursive: true, force: true });
      rmSync(dirname(memcached.address), { recursive: true, force: true });
    },
  };
}
