/**
 * Whether two plain data values (what JSON can hold) are the same, whatever the order of their
 * keys. DynamoDB gives maps back with keys in any order, so kept and written values are compared
 * with this, not with JSON.stringify. Works across realms, unlike util.isDeepStrictEqual.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
