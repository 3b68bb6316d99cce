import { containsCardNumber } from '@aegispay/domain';

const NAME = /^[A-Za-z_$][\w$]*$/;
const DIGIT = /\p{Nd}/gu;
/** A key with more digits than this is never repeated back: a field name needs none of them. */
const MAX_KEY_DIGITS = 6;
const MAX_KEY_LENGTH = 40;
const MAX_PATH_LENGTH = 120;

/**
 * A path into a request body as people read it: `paymentMethod.token`, `metadata["odd key"]`,
 * `items[2]`. Keys are client input, so the path is bounded in length, and a key that holds a
 * card number or more than six digits is shown as `<key>`: nothing the client sent that could be
 * card data is ever echoed in a problem.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part !== 'string') text += `[${JSON.stringify(String(part))}]`;
    else if ((part.match(DIGIT)?.length ?? 0) > MAX_KEY_DIGITS || containsCardNumber(part)) text += text === '' ? '<key>' : '.<key>';
    else if (NAME.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part.slice(0, MAX_KEY_LENGTH))}]`;
  }
  return text.length > MAX_PATH_LENGTH ? `${text.slice(0, MAX_PATH_LENGTH - 1)}…` : text;
}
