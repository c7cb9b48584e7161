// The `reconnecting-memcached/testing` entry: real faults for users' own tests of their fallback
// code, the same kit this project's tests, demo and benchmarks use. Node only; needs `memcached` on
// the PATH for startMemcached (and `saslpasswd2` for startSaslMemcached, `openssl` for
// makeTestCertificates). Never loaded by the main entry.
export { InvalidFaultModeError } from '../core/errors';
export { type ClusterNode, ElastiCacheEndpoint } from './ElastiCacheEndpoint';
export type { FaultMode } from './FaultMode';
export { FaultProxy } from './FaultProxy';
export {
  freePort,
  type MemcachedProcess,
  type MemcachedTls,
  type StartMemcachedOptions,
  startBlackHole,
  startMemcached,
  tempSocketPath,
  waitForPort,
} from './memcached';
export { startSaslMemcached } from './saslMemcached';
export type { ListenOptions, StartWithCredentials } from './tempDirMemcached';
export { makeTestCertificates, type PemFile, type TestCertificates } from './tlsCertificates';
