import { FLUSH } from './flush';
import { STATS } from './stats';
import { VERSION } from './version';

/** Every command on every server that the client attaches from its spec (`ping` has its own: the probe's). */
export const ADMIN_COMMANDS = [FLUSH, STATS, VERSION] as const;

/** The names of the client's admin methods made from specs. */
export type AdminCommandName = (typeof ADMIN_COMMANDS)[number]['name'];
