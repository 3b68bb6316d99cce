/** A JSON value. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The canonical JSON serialisation of `value`: object keys sorted at every depth, no whitespace,
 * `undefined` object properties dropped (as `JSON.stringify` does). Two values that are equal as
 * JSON serialise to the same string whatever their key order, so the result can be hashed into a
 * request fingerprint.
 *
 * @throws TypeError for values JSON cannot represent faithfully (non-finite numbers, bigints,
 *   functions, symbols, cycles).
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, new Set());
}

function serialise(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
  const object = value as object;
  if (seen.has(object)) throw new TypeError('canonicalJson: the value contains a cycle');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item: unknown) => (item === undefined ? 'null' : serialise(item, seen))).join(',')}]`;
    }
    const withToJson = object as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return serialise(withToJson.toJSON(), seen);
    const entries = Object.keys(object)
      .filter((key) => (object as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${serialise((object as Record<string, unknown>)[key], seen)}`);
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}
