import { CAS } from './cas';
import { APPEND, PREPEND } from './concat';
import { DECR, INCR } from './counter';
import { DELETE } from './deleteKey';
import { GAT } from './gat';
import { GATS } from './gats';
import { GETS } from './gets';
import { ADD, REPLACE } from './store';
import { TOUCH } from './touch';

/**
 * Every command on one key that the client attaches from its spec (get and set have their own,
 * faster, path). A command added here is a method of the client, and of the suites that iterate them.
 */
export const KEY_COMMANDS = [GETS, GAT, GATS, TOUCH, DELETE, ADD, REPLACE, APPEND, PREPEND, CAS, INCR, DECR] as const;

/** The names of the client's methods made from specs. */
export type KeyCommandName = (typeof KEY_COMMANDS)[number]['name'];
