import { InvalidOptionError, VALUE_NOT_SHOWN } from '../core/errors';

/**
 * Rejects an option this client does not have: a misspelt one (`timeoutMS`) ignored silently would
 * leave the client on the default. The error names the closest known option. The value is not
 * shown: a misspelt `password`-like option may hold a secret.
 */
export function rejectUnknownOptions(options: object, known: readonly string[]): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const closest = closestName(name, known);
    const hint = closest === undefined ? `one of ${known.join(', ')}` : `a known option: did you mean ${closest}?`;
    throw new InvalidOptionError(name, VALUE_NOT_SHOWN, hint);
  }
}

/** The known option nearest to `name` (case-insensitive edit distance), if it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A third of the name may be wrong: `timout` -> timeoutMs, `foo` -> nothing.
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}
