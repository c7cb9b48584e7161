/**
 * Turns one inspection frame into the JSON text sent to the inspector, with secrets scrubbed.
 *
 * The machine's context and events carry no server address by design (addresses stay in the
 * facade's private options), so nothing here should ever fire. It is defence in depth for what a
 * later change could let through, e.g. an error message that quotes a `user:pass@host` address:
 * - the value of any property whose name says it is a secret (`password`, `token`, ...) is replaced;
 * - `user:password@` in any string keeps the user and loses the password;
 * - every string in `secrets` is replaced wherever it appears, property names included.
 */
export const REDACTED = '[redacted]';

const SECRET_PROPERTY = /^(pass(word)?|secret|token|api[-_]?key|auth(orization)?|credentials?|sasl)$/i;
// `user:password@` as in a URL or a servers entry: the password may not hold `@`, `/`, quotes or space.
const USER_INFO = /([A-Za-z0-9._~%!$&'()*+;=-]+):[^\s@/"\\]+@/g;

export function serializeFrame(frame: unknown, secrets: readonly string[]): string {
  const ancestors: object[] = [];
  const text = JSON.stringify(frame, function replacer(this: unknown, key: string, value: unknown) {
    if (key !== '' && SECRET_PROPERTY.test(key)) return REDACTED;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function') return { type: value.name || 'anonymous' };
    if (value !== null && typeof value === 'object') {
      // JSON.stringify calls the replacer depth first, with `this` the holder: trimming the
      // ancestor stack down to the holder detects cycles without flagging shared objects.
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(value)) return '[Circular]';
      ancestors.push(value);
    }
    return value;
  });
  let scrubbed = (text ?? 'null').replace(USER_INFO, `$1:${REDACTED}@`);
  for (const secret of secrets) {
    if (secret === '') continue;
    // The secret as it appears inside a JSON string (quotes and backslashes escaped).
    const needle = JSON.stringify(secret).slice(1, -1);
    scrubbed = scrubbed.split(needle).join(REDACTED);
  }
  return scrubbed;
}
