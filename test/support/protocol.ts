import type { Protocol } from '../../src/config/protocol';

/** The protocol the current test project runs with (vitest.config.ts): `meta`, `text` or the default. */
export const PROTOCOL: Protocol =
  process.env.TEST_PROTOCOL === 'meta' || process.env.TEST_PROTOCOL === 'text' ? process.env.TEST_PROTOCOL : 'binary';

/** Whether the project's protocol is one of memcached's line protocols (meta, text): `-Y` auth, `-B ascii`. */
export const LINE_PROTOCOL = PROTOCOL !== 'binary';
