// The `reconnecting-memcached/keyv` entry: kept apart so the main entry never loads it. It needs
// `keyv` (an optional peer dependency) only for its types: nothing of Keyv is loaded at run time.
export { KeyvStore } from './KeyvStore';
