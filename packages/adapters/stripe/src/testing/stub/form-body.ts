/** A value of a form-encoded Stripe request: a string, or nested objects and lists of them. */
export type FormValue = string | readonly FormValue[] | { readonly [key: string]: FormValue };

/** The parameters of a form-encoded request body. */
export type FormParams = { readonly [key: string]: FormValue };

/** A form body that cannot be read as Stripe parameters (`a=1&a[b]=2`). */
export class FormBodyError extends Error {}

/**
 * Decodes an `application/x-www-form-urlencoded` body with Stripe's bracket notation:
 * `metadata[k]=v` is an object, `expand[0]=a` and `expand[]=a` are lists.
 * @throws FormBodyError when one key is used both as a value and as an object.
 */
export function decodeForm(body: string): FormParams {
  const root: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const path = parseKey(name);
    let node: Record<string, unknown> = root;
    for (let index = 0; index < path.length - 1; index += 1) {
      const segment = path[index] as string;
      const existing = node[segment];
      if (existing === undefined) node[segment] = {};
      else if (typeof existing !== 'object') throw new FormBodyError(`Invalid parameter: ${name} mixes a value and an object.`);
      node = node[segment] as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    const key = last === '' ? String(Object.keys(node).length) : last;
    if (typeof node[key] === 'object') throw new FormBodyError(`Invalid parameter: ${name} mixes a value and an object.`);
    node[key] = value;
  }
  return toLists(root) as FormParams;
}

/** `a[b][c]` → `['a', 'b', 'c']`; `a[]` → `['a', '']`. */
function parseKey(name: string): string[] {
  const open = name.indexOf('[');
  if (open <= 0 || !name.endsWith(']')) return [name];
  return [name.slice(0, open), ...name.slice(open + 1, -1).split('][')];
}

/** Objects whose keys are exactly 0…n-1 become lists. */
function toLists(value: unknown): FormValue {
  if (typeof value === 'string') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const converted = entries.map(([key, item]) => [key, toLists(item)] as const);
  const isList = converted.length > 0 && converted.every(([key], index) => key === String(index));
  return isList ? converted.map(([, item]) => item) : Object.fromEntries(converted);
}
