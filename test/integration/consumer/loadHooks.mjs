// Module hooks (module.register) that log every URL the ESM loader resolves, one per line, to the
// file named by `data.log`.
import { appendFileSync } from 'node:fs';

let log;
export function initialize(data) {
  log = data.log;
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
