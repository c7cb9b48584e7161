/**
 * Names other libraries use for a field this one calls otherwise (`ttl` is `expiration` here): too
 * far apart for the edit distance, but the likely meaning.
 */
export type Aliases = Readonly<Record<string, string>>;

/**
 * What to tell a caller who used an unknown `name`: "a known option: did you mean X?" for the known
 * name nearest to it (case-insensitive edit distance, or an alias), else the known names.
 */
export function didYouMean(name: string, known: readonly string[], aliases?: Aliases, noun = 'option'): string {
  const closest = closestName(name, known, aliases);
  return closest === undefined ? `one of ${known.join(', ')}` : `a known ${noun}: did you mean ${closest}?`;
}

/** The known name nearest to `name` (an alias first), if it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[], aliases?: Aliases): string | undefined {
  const lower = name.toLowerCase();
  const alias = aliases !== undefined && Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
  if (alias !== undefined && known.includes(alias)) return alias;
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

/**
 * The first own enumerable field of `object` that is not in `known`, or undefined. A `for...in`
 * loop makes no array of keys per call; an inherited field (a polluted `Object.prototype`) is skipped.
 */
export function unknownField(object: object, known: readonly string[]): string | undefined {
  for (const name in object) {
    if (!known.includes(name) && Object.hasOwn(object, name)) return name;
  }
  return undefined;
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
