import { MetaReader } from '../../src/meta/MetaReader';
import { F, W, X, Z } from '../../src/meta/metaRequests';

/**
 * What a handler sees of each meta answer in `bytes` (its line, id, client flags or the error
 * reading them, bare flags W X Z, value), then the error that stopped the reader, if any: two
 * streams that must read alike are compared by it.
 */
export function metaOutcome(bytes: string): string[] {
  const seen: string[] = [];
  const r = new MetaReader((response) => {
    let flags: string;
    try {
      flags = `${response.flag(F)}`;
    } catch (err) {
      flags = String(err);
    }
    const bare = `${response.has(W)} ${response.has(X)} ${response.has(Z)}`;
    seen.push(`${response.line} ${response.id} ${flags} ${bare} ${response.value?.toString('latin1')}`);
    return true;
  });
  try {
    r.feed(Buffer.from(bytes, 'latin1'));
  } catch (err) {
    seen.push(String(err));
  }
  return seen;
}
