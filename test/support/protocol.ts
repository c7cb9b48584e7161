import type { Protocol } from '../../src/config/protocol';

/** The protocol the current test project runs with (vitest.config.ts): `meta` or the default. */
export const PROTOCOL: Protocol = process.env.TEST_PROTOCOL === 'meta' ? 'meta' : 'binary';
