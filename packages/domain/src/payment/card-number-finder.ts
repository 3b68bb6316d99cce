import { CARD_NUMBER_LENGTH } from './card-issuers';
import { containsCardNumber, isCardNumber } from './card-number-detector';
import { foldDigits } from './unicode-digits';

/** Deepest nesting {@link findCardNumber} looks into by default. */
export const DEFAULT_CARD_SEARCH_DEPTH = 32;

/**
 * Walks `value` (strings, numbers, keys and values of objects and arrays, at any depth) and
 * returns the path of the first field that holds a card number (see `containsCardNumber`), or
 * `undefined`. Numbers are read as written in decimal (`4242424242.424242` is caught).
 *
 * A card number split across consecutive values is found too, where values are parts of one
 * thing: the items of an array (`["4242", "4242", "4242", "4242"]`), or the values of keys that
 * differ only in a trailing counter (`pan1`/`pan2`, `cc_1`…`cc_4`, `part_a`/`part_b`, `a`/`b`).
 * Values made only of digits and separators (3–16 digits each; strings or non-negative numbers)
 * are read together, in order, and every run of two or more is checked; the path is the first
 * one's. Unrelated neighbours (`orderId: 450789469, customerId: 207119551`) are never joined: two
 * numeric ids side by side form a valid-looking card number about once in thirty-five.
 *
 * The path never repeats digits the client sent: a key that holds a card number is shown as
 * `<key>`, and so is any key with more than six digits. Depth is capped at `maxDepth` (default
 * {@link DEFAULT_CARD_SEARCH_DEPTH}); deeper values are not inspected.
 */
export function findCardNumber(value: unknown, path = '', maxDepth = DEFAULT_CARD_SEARCH_DEPTH): string | undefined {
  if (typeof value === 'string') return containsCardNumber(value) ? path : undefined;
  if (typeof value === 'number' || typeof value === 'bigint') return containsCardNumber(decimalOf(value)) ? path : undefined;
  if (typeof value !== 'object' || value === null || maxDepth <= 0) return undefined;
  const isArray = Array.isArray(value);
  const pieces: Piece[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (!isArray && containsCardNumber(key)) return path === '' ? '<key>' : `${path}.<key>`;
    const at = childPath(path, key, isArray);
    const found = findCardNumber(child, at, maxDepth - 1);
    if (found !== undefined) return found;
    const digits = digitPieceOf(child);
    const stem = isArray ? '' : stemOf(key);
    if (digits === undefined || (pieces.length > 0 && (pieces[0] as Piece).stem !== stem)) pieces.length = 0;
    if (digits === undefined || stem === undefined) continue;
    pieces.push({ path: at, digits, stem });
    const split = splitCardNumberStart(pieces);
    if (split !== undefined) return split;
  }
  return undefined;
}

interface Piece {
  readonly path: string;
  readonly digits: string;
  /** The key without its counter: pieces of one number share it. */
  readonly stem: string;
}

/** A counter at the end of a key: digits (`pan1`, `cc_4`), or one letter alone or after a separator (`part_b`, `b`). */
const COUNTER = /(?:[-_.:]?\d+|(?:^|[-_.:])[A-Za-z])$/;

/** The key without its trailing counter, or `undefined` when it has none. */
function stemOf(key: string): string | undefined {
  const counter = COUNTER.exec(key);
  return counter === null ? undefined : key.slice(0, counter.index);
}

const MIN_PIECE_DIGITS = 3;
const MAX_PIECE_DIGITS = 16;
/** Digits and the separators a card number's groups may be written with; nothing else. */
const DIGITS_AND_SEPARATORS = /^[\d\s\-_./\\:,|'+\u2010-\u2015\u2212\u00b7\u2022]+$/;
const NOT_A_DIGIT = /\D/g;

/** The digits of a value that could be one piece of a split card number, else `undefined`. */
function digitPieceOf(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = foldDigits(value);
  else if ((typeof value === 'number' && Number.isFinite(value) && value >= 0) || (typeof value === 'bigint' && value >= 0n)) text = decimalOf(value);
  else return undefined;
  if (!DIGITS_AND_SEPARATORS.test(text)) return undefined;
  const digits = text.replace(NOT_A_DIGIT, '');
  return digits.length >= MIN_PIECE_DIGITS && digits.length <= MAX_PIECE_DIGITS ? digits : undefined;
}

/** The path of the first piece of a card number ending with the last piece, if any. */
function splitCardNumberStart(pieces: readonly Piece[]): string | undefined {
  let digits = (pieces[pieces.length - 1] as Piece).digits;
  for (let first = pieces.length - 2; first >= 0; first -= 1) {
    const piece = pieces[first] as Piece;
    digits = piece.digits + digits;
    if (digits.length > CARD_NUMBER_LENGTH.max) return undefined;
    if (isCardNumber(digits)) return piece.path;
  }
  return undefined;
}

/** A number as written in plain decimal, never in exponent notation (`1e21` has 22 digits). */
function decimalOf(value: number | bigint): string {
  if (typeof value === 'bigint' || !Number.isFinite(value) || Math.abs(value) < 1e21) return String(value);
  return BigInt(value).toString();
}

const PLAIN_KEY = /^[A-Za-z0-9_$:-]{1,40}$/;
const DIGIT_CHARACTER = /\p{Nd}/gu;
const MAX_KEY_DIGITS = 6;

function childPath(path: string, key: string, isArray: boolean): string {
  if (isArray) return `${path}[${key}]`;
  if ((key.match(DIGIT_CHARACTER)?.length ?? 0) > MAX_KEY_DIGITS) return path === '' ? '<key>' : `${path}.<key>`;
  if (PLAIN_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key.slice(0, 40))}]`;
}
