/** Where the client reports what it does. Any of `console`, pino, winston, bunyan fits. */
export interface Logger {
  error(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  info(message: string, ...meta: unknown[]): void;
  debug(message: string, ...meta: unknown[]): void;
}

const noop = (): void => {};

/** The default: say nothing. memjs alone logs every server error to the console. */
export const silentLogger: Logger = { error: noop, warn: noop, info: noop, debug: noop };
