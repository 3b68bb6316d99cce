import { CARD_NUMBER_LENGTH, cardIssuerOf } from './card-issuers';
import { foldDigits } from './unicode-digits';

/** Luhn (mod 10) check over a string of ASCII digits. */
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
 * True when `digits` (ASCII digits only) is a card number: 13–19 digits, in the IIN ranges of a
 * card network with one of its lengths (`CARD_ISSUERS`), and Luhn-valid.
 */
export function isCardNumber(digits: string): boolean {
  return digits.length >= CARD_NUMBER_LENGTH.min && digits.length <= CARD_NUMBER_LENGTH.max && luhnValid(digits) && cardIssuerOf(digits) !== undefined;
}

/**
 * True when `text` contains something shaped like a card number. Built to catch card numbers
 * however they are written and to leave identifiers alone:
 *
 * - Digits in any script count (full-width, Arabic-Indic…), and invisible characters between
 *   them are ignored (`foldDigits`).
 * - The text is cut into words (runs of letters and digits). A word of digits alone, and each
 *   digit run of a word such as `pan4111111111111111` or `4111111111111111exp1229`, is a candidate.
 * - Digit words separated by 1–3 separator characters — spaces of any kind, `- _ . / \ : , | ' +`
 *   and the Unicode dashes and dots — are also joined into candidates, every contiguous sequence
 *   of them (so `exp 12/29 4242 4242 4242 4242` and `4242.4242.4242.4242 1234` are caught), as
 *   long as the separators in one candidate are the same (`4242  4242  4242  4242`, not
 *   `555 123 4567, 555 987 6543`).
 * - Digits are never assembled across the letters of an identifier: a word mixing letters and
 *   digits (`8a1b2345`) is never joined with its neighbours, nor are the digit words of an
 *   identifier it belongs to (words linked by single `- _ . :`, as `9f8a4b21-1234-4567-8901-…`),
 *   nor the parts of a UUID even when all of them are digits. A hexadecimal word with several
 *   digit runs (a hash, a UUID without dashes) holds no candidate.
 * - A candidate is a card number when it has 13–19 digits, starts with the IIN of a known card
 *   network and has one of its lengths, and passes the Luhn check (`isCardNumber`).
 *
 * Measured by the tests: no random UUIDv4 and no timestamp-style key (`order-<ms timestamp>`) is
 * taken for a card number, and every form in the corpus of disguised card numbers is.
 */
export function containsCardNumber(text: string): boolean {
  if (hasNonAscii(text)) text = foldDigits(text);
  // Most text, identifiers included, has no stretch of digits and separators long enough to hold one.
  if (longestDigitStretch(text) < CARD_NUMBER_LENGTH.min) return false;
  const words = wordsOf(text);
  for (const word of words) {
    if (word.kind === 'DIGITS' && isCardNumber(text.slice(word.start, word.end))) return true;
    // A hexadecimal word with several digit runs is a hash or a UUID without dashes: no candidate.
    if (word.kind === 'MIXED' && !(word.hex && word.digitRuns > 1) && digitRunsOf(text, word).some(isCardNumber)) return true;
  }
  return joinedCardNumber(text, words);
}

type WordKind = 'DIGITS' | 'LETTERS' | 'MIXED';

/** A maximal run of letters and digits, with what separates it from the word before. */
interface Word {
  readonly start: number;
  readonly end: number;
  readonly kind: WordKind;
  /** Only hexadecimal letters (or none). */
  readonly hex: boolean;
  /** How many separate runs of digits the word holds. */
  readonly digitRuns: number;
  /** The text between the previous word (or the start) and this one. */
  readonly gap: string;
}

const DIGIT = 0;
const LETTER = 1;
const SEPARATOR = 2;
const OTHER = 3;

/** ASCII separators that may stand between the digit groups of a card number. */
const ASCII_SEPARATORS = new Set([' ', '\t', '\n', '\r', '\v', '\f', '-', '_', '.', '/', '\\', ':', ',', '|', "'", '+']);
/** Non-ASCII separators left after NFKC: dashes, the minus sign, middle dots, bullets. */
const UNICODE_SEPARATOR = /^[\s\u2010-\u2015\u2212\u00b7\u2022\u2219\u2043\u30fb]$/u;
const UNICODE_WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
/**
 * Single characters that bind words into one identifier (`pay_…`, `order-…`, `urn:uuid:…`, `a.b`).
 * Not `/`: it separates the parts of a path (`/v1/cards/4242-4242-…`) or a date, not of a name.
 */
const JOINERS = new Set(['-', '_', '.', ':']);
const WHITESPACE = /\s/g;
const DIGIT_RUN = /[0-9]+/g;

function classOf(character: string): number {
  const code = character.charCodeAt(0);
  if (code >= 48 && code <= 57) return DIGIT;
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return LETTER;
  if (code < 128) return ASCII_SEPARATORS.has(character) ? SEPARATOR : OTHER;
  if (UNICODE_WORD_CHARACTER.test(character)) return LETTER;
  return UNICODE_SEPARATOR.test(character) ? SEPARATOR : OTHER;
}

function isHexLetter(code: number): boolean {
  return (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let gapStart = 0;
  let index = 0;
  while (index < text.length) {
    const character = characterAt(text, index);
    const kind = classOf(character);
    if (kind !== DIGIT && kind !== LETTER) {
      index += character.length;
      continue;
    }
    const start = index;
    let digits = 0;
    let letters = 0;
    let digitRuns = 0;
    let hex = true;
    let previousWasDigit = false;
    for (let current = character, currentKind = kind; currentKind === DIGIT || currentKind === LETTER; ) {
      if (currentKind === DIGIT) {
        digits += 1;
        if (!previousWasDigit) digitRuns += 1;
        previousWasDigit = true;
      } else {
        letters += 1;
        previousWasDigit = false;
        if (!isHexLetter(current.charCodeAt(0))) hex = false;
      }
      index += current.length;
      if (index >= text.length) break;
      current = characterAt(text, index);
      currentKind = classOf(current);
    }
    const wordKind: WordKind = letters === 0 ? 'DIGITS' : digits === 0 ? 'LETTERS' : 'MIXED';
    words.push({ start, end: index, kind: wordKind, hex, digitRuns, gap: text.slice(gapStart, start) });
    gapStart = index;
  }
  return words;
}

function characterAt(text: string, index: number): string {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? text.slice(index, index + 2) : text.charAt(index);
}

/** The digit runs of a word mixing letters and digits (`pan4111…`, `4111…exp1229`). */
function digitRunsOf(text: string, word: Word): string[] {
  return text.slice(word.start, word.end).match(DIGIT_RUN) ?? [];
}

/**
 * Digit words joined across separators: every contiguous sequence of joinable digit words with
 * the same separator, 13–19 digits long, is checked.
 */
function joinedCardNumber(text: string, words: readonly Word[]): boolean {
  const joinable = joinableWords(words);
  for (let first = 0; first < words.length; first += 1) {
    if (!joinable[first]) continue;
    const head = words[first] as Word;
    let digits = text.slice(head.start, head.end);
    let separator: string | undefined;
    for (let next = first + 1; next < words.length && joinable[next]; next += 1) {
      const word = words[next] as Word;
      const signature = separatorSignature(word.gap);
      if (signature === undefined || (separator !== undefined && signature !== separator)) break;
      separator = signature;
      digits += text.slice(word.start, word.end);
      if (digits.length > CARD_NUMBER_LENGTH.max) break;
      if (isCardNumber(digits)) return true;
    }
  }
  return false;
}

/**
 * Which words may be joined with their neighbours: digit words that are not part of an
 * identifier. Words linked by single joiners (`-`, `_`, `.`, `:`) form one token; a token
 * holding a word that mixes letters and digits, or a UUID, is an identifier.
 */
function joinableWords(words: readonly Word[]): boolean[] {
  const joinable = words.map((word) => word.kind === 'DIGITS');
  let tokenStart = 0;
  for (let index = 1; index <= words.length; index += 1) {
    const word = words[index];
    if (word !== undefined && word.gap.length === 1 && JOINERS.has(word.gap)) continue;
    const token = words.slice(tokenStart, index);
    if (token.some((member) => member.kind === 'MIXED') || holdsUuid(token)) {
      for (let member = tokenStart; member < index; member += 1) joinable[member] = false;
    }
    tokenStart = index;
  }
  return joinable;
}

const UUID_GROUPS = [8, 4, 4, 4, 12];

/** Five consecutive hexadecimal words of 8-4-4-4-12 characters linked by `-`. */
function holdsUuid(token: readonly Word[]): boolean {
  for (let first = 0; first + UUID_GROUPS.length <= token.length; first += 1) {
    const matches = UUID_GROUPS.every((size, offset) => {
      const word = token[first + offset] as Word;
      return word.hex && word.end - word.start === size && (offset === 0 || word.gap === '-');
    });
    if (matches) return true;
  }
  return false;
}

/**
 * What separates two digit groups, or `undefined` when they are not separated by 1–3 separator
 * characters. Gaps of only spaces read as one space, so single and double spaces match.
 */
function separatorSignature(gap: string): string | undefined {
  if (gap.length === 0 || gap.length > 3) return undefined;
  for (const character of gap) if (classOf(character) !== SEPARATOR) return undefined;
  const visible = gap.replace(WHITESPACE, '');
  return visible === '' ? ' ' : visible;
}

/** ASCII characters by class, for the hot loops. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, code) => classOf(String.fromCharCode(code)));

/**
 * The most digits in one stretch of the text made only of digits and separators (letters and
 * other characters end a stretch). No candidate can be longer.
 */
function longestDigitStretch(text: string): number {
  let longest = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const kind = code < 128 ? (ASCII_CLASS[code] as number) : classOf(characterAt(text, i));
    if (kind === DIGIT) {
      digits += 1;
      if (digits > longest) longest = digits;
    } else if (kind !== SEPARATOR) {
      digits = 0;
    }
  }
  return longest;
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 127) return true;
  return false;
}
