/**
 * Finds values that look like a primary account number: a run of 12–19 digits, possibly split by
 * single spaces or dashes, that passes the Luhn check. Used to keep raw card data out of the
 * system whatever field it arrives in.
 */

// A run of digits in which single spaces or dashes may separate groups.
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;
const MIN_DIGITS = 12;
const MAX_DIGITS = 19;

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * True when `text` contains something that looks like a card number.
 *
 * A maximal run is examined as a whole and, when it is split into groups by separators, as every
 * contiguous sequence of its groups — so `4111 1111 1111 1111 exp 12/29` and
 * `4111-1111-1111-1111 1234` are caught. A separator-free run longer than 19 digits (an order
 * number) is not a card number.
 */
export function containsCardNumber(text: string): boolean {
  // Most text holds fewer digits than the shortest card number: skip the scan then.
  let digits = 0;
  for (let i = 0; i < text.length && digits < MIN_DIGITS; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += 1;
  }
  if (digits < MIN_DIGITS) return false;
  for (const match of text.matchAll(DIGIT_RUN)) {
    const groups = match[0].split(/[ -]/);
    for (let start = 0; start < groups.length; start += 1) {
      let digits = '';
      for (let end = start; end < groups.length; end += 1) {
        digits += groups[end];
        if (digits.length > MAX_DIGITS) break;
        if (digits.length >= MIN_DIGITS && luhnValid(digits)) return true;
      }
    }
  }
  return false;
}

/**
 * Walks `value` (strings, numbers, keys and values of objects and arrays, at any depth) and
 * returns the path of the first field that looks like a card number, or `undefined`. The path
 * never contains the digits: a key that looks like a card number is shown as `<key>`.
 * Depth is capped at `maxDepth` (default 32); deeper values are not inspected.
 */
export function findCardNumber(value: unknown, path = '', maxDepth = 32): string | undefined {
  if (typeof value === 'string') return containsCardNumber(value) ? path : undefined;
  if (typeof value === 'number' || typeof value === 'bigint') {
    return containsCardNumber(String(value)) ? path : undefined;
  }
  if (typeof value !== 'object' || value === null || maxDepth <= 0) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = findCardNumber(value[index], `${path}[${index}]`, maxDepth - 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    // A key that itself looks like a card number is reported without its text.
    if (containsCardNumber(key)) return path === '' ? '<key>' : `${path}.<key>`;
    const childPath = path === '' ? key : `${path}.${key}`;
    const found = findCardNumber(child, childPath, maxDepth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
