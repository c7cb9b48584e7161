// The `reconnecting-memcached/inspect` entry: kept apart so the main entry never loads the
// optional peer dependencies `@statelyai/inspect` and `ws`.
export { InspectorUnavailableError } from '../core/errors';
export type { InspectorOptions, RunningInspector } from './startInspector';
export { startInspector } from './startInspector';
