import { inspect } from 'node:util';

/**
 * Every way a value gets printed, for tests that search output for secrets: JSON (errors expanded
 * with their causes, cycles cut) and util.inspect with hidden fields and getters.
 */
export function exposeAll(value: unknown): string {
  const seen = new WeakSet<object>();
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Error) {
      return { ...v, name: v.name, message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause };
    }
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[cycle]';
      seen.add(v);
    }
    return v;
  });
  return `${json}\n${inspect(value, { depth: 8, showHidden: true, getters: true })}`;
}
