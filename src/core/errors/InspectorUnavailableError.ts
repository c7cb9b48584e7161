import { messageOf, ReconnectingMemcachedError } from './ReconnectingMemcachedError';

/** `startInspector` needs the optional peer dependencies `@statelyai/inspect` and `ws`, and one of them is missing. */
export class InspectorUnavailableError extends ReconnectingMemcachedError {
  declare readonly code: 'ERR_INSPECTOR_UNAVAILABLE';
  constructor(cause: unknown) {
    super(
      'ERR_INSPECTOR_UNAVAILABLE',
      `the inspector needs the optional peer dependencies @statelyai/inspect and ws (npm install -D @statelyai/inspect ws): ${messageOf(cause)}`,
      { cause },
    );
  }
}
