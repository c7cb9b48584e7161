// Run by package.test.ts inside a project that installed the packed tarball: the fault kit used
// exactly as a user's own test would use it, through the package's exports. Prints what each
// fault did to a client's calls, as JSON.
import net from 'node:net';
import { createClient } from 'reconnecting-memcached';
import { FaultProxy, startBlackHole, startMemcached } from 'reconnecting-memcached/testing';

const memcached = await startMemcached();
const proxy = await FaultProxy.start({ port: memcached.port });
// Never heals, so every call below meets the fault itself rather than the fail-fast state.
const cache = createClient({ servers: [proxy.address], timeoutMs: 250, allowedFailuresBeforeHealing: 1e6 });

const answer = async (key = 'small') => {
  const got = await cache.get(key);
  if (!got.ok) return got.reason;
  return got.item ? 'hit' : 'miss';
};
const connect = () =>
  new Promise((resolve) => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (err) => resolve(err.code));
  });
const seed = async () => {
  await cache.set({ key: 'small', value: 'v' });
  await cache.set({ key: 'big', value: Buffer.alloc(64 * 1024, 1) });
};

const report = {};
await seed();
report.pass = await answer();
await proxy.kill();
report.kill = [await answer(), await connect()];
await proxy.restore();
report.restoreAfterKill = await answer();
await proxy.refuse();
report.refuse = [await answer(), await connect()];
await proxy.restore();
await proxy.trickle();
report.trickle = await answer();
await proxy.cut(100);
report.cut = await answer('big');
await proxy.restore();
report.restore = [await answer(), await answer('big')];
await proxy.blackHole();
report.blackHole = await answer();
await proxy.restore();
// Last of the proxy's faults: a late answer stays queued on its connection after restore().
await proxy.slow(1000);
report.slow = await answer();
await proxy.restore();
try {
  await proxy.slow(-1);
} catch (err) {
  report.badArgument = err.name;
}

// The process helper: memcached dies (which ends the slow answer's connection too), then comes
// back empty on the same port.
await memcached.stop();
report.memcachedStopped = await answer();
const again = await startMemcached({ port: memcached.port });
report.memcachedRestarted = await answer();

const hole = await startBlackHole();
const hung = createClient({ servers: [hole.address], timeoutMs: 100 });
report.startBlackHole = (await hung.get('k')).reason;

await hung.close();
await hole.close();
await cache.close();
await proxy.close();
await again.stop();
console.log(JSON.stringify(report));
