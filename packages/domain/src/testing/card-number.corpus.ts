import { luhnValid } from '../payment/card-number-detector';
import type { Random } from '../ports/random.port';

/** One disguised card number: how it was written, and the text or JSON value that holds it. */
export interface DisguisedCardNumber<T = string> {
  /** The disguise (`dots`, `full-width digits`, `split across two values`…). */
  readonly form: string;
  /** The card number it hides, as plain ASCII digits. */
  readonly digits: string;
  readonly value: T;
}

/** `digits` followed by the Luhn check digit that makes the whole valid. */
export function withCheckDigit(digits: string): string {
  for (let check = 0; check <= 9; check += 1) {
    if (luhnValid(`${digits}${check}`)) return `${digits}${check}`;
  }
  throw new Error('unreachable: one of ten check digits is always valid');
}

/**
 * Card numbers of every network the detector knows: the networks' and PSPs' public test numbers,
 * and numbers built in the ranges that have none (a prefix, zeros and a check digit).
 */
export const TEST_CARD_NUMBERS: readonly string[] = Object.freeze([
  '4242424242424242', // Visa
  '4111111111111111', // Visa
  '4000056655665556', // Visa debit
  '4222222222222', // Visa, 13 digits
  withCheckDigit('424242424242424242'), // Visa, 19 digits
  '5555555555554444', // Mastercard
  '5200828282828210', // Mastercard debit
  '2223003122003222', // Mastercard 2-series
  '378282246310005', // American Express
  '371449635398431', // American Express
  '30569309025904', // Diners Club, 14 digits
  '3056930009020004', // Diners Club, 16 digits
  '36227206271667', // Diners Club International
  '6011111111111117', // Discover
  '6011000990139424', // Discover
  '3566002020360505', // JCB
  '6200000000000005', // UnionPay
  '6205500000000000004', // UnionPay, 19 digits
  '6759649826438453', // Maestro
  withCheckDigit('220012345678901'), // Mir
  withCheckDigit('605912345678901'), // RuPay
  withCheckDigit('979212345678901'), // Troy
  withCheckDigit('970412345678901'), // Napas
  withCheckDigit('860012345678901'), // Uzcard
  withCheckDigit('986012345678901'), // Humo
  withCheckDigit('310000123456789012'), // China T-Union, 19 digits
]);

/** How a card number of this length is printed: 4-4-4-4, Amex 4-6-5, Diners 4-6-4, 4-4-4-4-3… */
export function printedGroups(digits: string): string[] {
  const sizes = ({ 13: [4, 3, 3, 3], 14: [4, 6, 4], 15: [4, 6, 5] } as Record<number, number[]>)[digits.length] ?? [4, 4, 4, 4, digits.length - 16].filter((size) => size > 0);
  let at = 0;
  return sizes.map((size) => digits.slice((at += size) - size, at));
}

const shift = (digits: string, zero: number): string => Array.from(digits, (digit) => String.fromCodePoint(zero + Number(digit))).join('');
const grouped = (separator: string) => (digits: string): string => printedGroups(digits).join(separator);

/** The text disguises: each turns a card number's digits into text a person could have typed or pasted. */
const TEXT_DISGUISES: readonly (readonly [string, (digits: string) => string])[] = [
  ['plain', (digits) => digits],
  ['spaces', grouped(' ')],
  ['dashes', grouped('-')],
  ['dots', grouped('.')],
  ['slashes', grouped('/')],
  ['underscores', grouped('_')],
  ['commas', grouped(',')],
  ['pipes', grouped('|')],
  ['backslashes', grouped('\\')],
  ['colons', grouped(':')],
  ['double spaces', grouped('  ')],
  ['spaced dashes', grouped(' - ')],
  ['tabs', grouped('\t')],
  ['line breaks', grouped('\r\n')],
  ['no-break spaces', grouped('\u00a0')],
  ['narrow no-break spaces', grouped('\u202f')],
  ['thin spaces', grouped('\u2009')],
  ['ideographic spaces', grouped('\u3000')],
  ['en dashes', grouped('\u2013')],
  ['em dashes', grouped('\u2014')],
  ['minus signs', grouped('\u2212')],
  ['non-breaking hyphens', grouped('\u2011')],
  ['middle dots', grouped('\u00b7')],
  ['zero-width spaces', grouped('\u200b')],
  ['soft hyphens', grouped('\u00ad')],
  ['word joiners', grouped('\u2060')],
  ['a zero-width space between every digit', (digits) => Array.from(digits).join('\u200b')],
  ['a space between every digit', (digits) => Array.from(digits).join(' ')],
  ['pairs of digits', (digits) => digits.replace(/(\d\d)(?=\d)/g, '$1 ')],
  ['halves', (digits) => `${digits.slice(0, 8)} ${digits.slice(8)}`],
  ['a decimal point after ten digits', (digits) => `${digits.slice(0, 10)}.${digits.slice(10)}`],
  ['full-width digits', (digits) => shift(digits, 0xff10)],
  ['full-width digits and spaces', (digits) => printedGroups(shift(digits, 0xff10)).join('\u3000')],
  ['full-width digits and hyphens', (digits) => printedGroups(digits).map((group) => shift(group, 0xff10)).join('\uff0d')],
  ['Arabic-Indic digits', (digits) => shift(digits, 0x0660)],
  ['extended Arabic-Indic digits', (digits) => shift(digits, 0x06f0)],
  ['Devanagari digits', (digits) => shift(digits, 0x0966)],
  ['Bengali digits with spaces', (digits) => printedGroups(shift(digits, 0x09e6)).join(' ')],
  ['Thai digits', (digits) => shift(digits, 0x0e50)],
  ['mathematical bold digits', (digits) => shift(digits, 0x1d7ce)],
  ['mathematical monospace digits', (digits) => shift(digits, 0x1d7f6)],
  ['superscript digits', (digits) => Array.from(digits, (digit) => '⁰¹²³⁴⁵⁶⁷⁸⁹'.charAt(Number(digit))).join('')],
  ['circled digits', (digits) => Array.from(digits, (digit) => (digit === '0' ? '\u24ea' : String.fromCodePoint(0x245f + Number(digit)))).join('')],
  ['combining underlines', (digits) => Array.from(digits, (digit) => `${digit}\u0332`).join('')],
  ['mixed scripts', (digits) => Array.from(digits, (digit, index) => (index % 2 === 0 ? digit : shift(digit, 0xff10))).join('')],
  ['after a label', (digits) => `card number: ${grouped(' ')(digits)}`],
  ['in a sentence with the expiry', (digits) => `please charge ${grouped(' ')(digits)} exp 12/29 cvc 123, thanks`],
  ['after the expiry', (digits) => `12/29 ${grouped(' ')(digits)}`],
  ['after another number', (digits) => `order 12 ${digits}`],
  ['followed by another group', (digits) => `${grouped(' ')(digits)} 1234`],
  ['glued to a label', (digits) => `pan${digits}`],
  ['glued to a word after it', (digits) => `${digits}exp1229`],
  ['behind a prefix with a separator', (digits) => `card_${digits}`],
  ['in a label-and-dashes token', (digits) => `pan-${grouped('-')(digits)}`],
  ['in brackets', (digits) => `[${grouped('-')(digits)}]`],
  ['in a query string', (digits) => `number=${digits}&exp=1229`],
  ['in quotes', (digits) => `"${grouped(' ')(digits)}"`],
  ['in JSON text', (digits) => `{"pan":"${digits}"}`],
];

/** Every test card number in every text disguise. */
export function disguisedCardNumberTexts(): DisguisedCardNumber[] {
  return TEST_CARD_NUMBERS.flatMap((digits) => TEXT_DISGUISES.map(([form, disguise]) => ({ form, digits, value: disguise(digits) })));
}

/** Forms that need the JSON value around them: numbers, keys, and a number split across values. */
const VALUE_DISGUISES: readonly (readonly [string, (digits: string) => unknown])[] = [
  ['a JSON number', (digits) => ({ metadata: { n: exactNumber(digits) } })],
  ['a JSON number with a decimal point after ten digits', (digits) => ({ metadata: { n: exactNumber(`${digits.slice(0, 10)}.${digits.slice(10)}`) } })],
  ['a JSON number with a decimal point after eight digits', (digits) => ({ metadata: { n: exactNumber(`${digits.slice(0, 8)}.${digits.slice(8)}`) } })],
  ['a key', (digits) => ({ metadata: { [digits]: 'x' } })],
  ['a key with dots', (digits) => ({ metadata: { [printedGroups(digits).join('.')]: 'x' } })],
  ['a deeply nested value', (digits) => ({ a: { b: [{ c: [grouped(' ')(digits)] }] } })],
  ['split across two metadata values', (digits) => ({ metadata: { pan1: digits.slice(0, 8), pan2: digits.slice(8) } })],
  ['split across two spaced metadata values', (digits) => ({ metadata: { a: grouped(' ')(digits.slice(0, 8)), b: grouped(' ')(digits.slice(8)) } })],
  ['split across two numbers', (digits) => ({ metadata: { a: Number(digits.slice(0, 8)), b: exactNumber(digits.slice(8)) } })],
  ['split into its printed groups', (digits) => ({ metadata: Object.fromEntries(printedGroups(digits).map((group, index) => [`cc${index + 1}`, group])) })],
  ['split into IIN and the rest', (digits) => ({ metadata: { card_1: digits.slice(0, 6), card_2: digits.slice(6) } })],
  ['split before the last four', (digits) => ({ metadata: { pan_a: digits.slice(0, -4), pan_b: digits.slice(-4) } })],
  ['split across array items', (digits) => ({ metadata: { parts: printedGroups(digits) } })],
  ['split across array numbers', (digits) => ({ parts: [Number(digits.slice(0, 8)), exactNumber(digits.slice(8))] })],
  ['split across full-width values', (digits) => ({ metadata: { a: shift(digits.slice(0, 8), 0xff10), b: shift(digits.slice(8), 0xff10) } })],
];

/**
 * Every test card number in every JSON-value disguise. A number is only made a JSON number when
 * the number reads back with the same digits (a double holds 15–17 significant digits).
 */
export function disguisedCardNumberValues(): DisguisedCardNumber<unknown>[] {
  return TEST_CARD_NUMBERS.flatMap((digits) =>
    VALUE_DISGUISES.flatMap(([form, disguise]) => {
      try {
        return [{ form, digits, value: disguise(digits) }];
      } catch {
        return [];
      }
    }),
  );
}

function exactNumber(text: string): number {
  const value = Number(text);
  // Leading zeros of a piece are not part of its JSON number: such a split is written as a string.
  if (String(value) !== text.replace(/^0+(?=\d)/, '') || /^0\d/.test(text)) throw new RangeError(`${text} is not exact as a double`);
  return value;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** The byte of `word` at bit `shift` (24, 16, 8, 0) in two hexadecimal digits. */
const hexByte = (word: number, shift: number): string => HEX[(word >>> shift) & 0xff] as string;

/** A random (version 4) UUID drawn from `random`, written as `crypto.randomUUID()` writes it. */
export function randomUuid(random: Random): string {
  const word = (): number => Math.floor(random.next() * 0x1_0000_0000);
  const a = word();
  const b = (word() & 0xffff0fff) | 0x00004000; // version 4 in the 13th hexadecimal digit
  const c = (word() & 0x3fffffff) | 0x80000000; // the RFC 9562 variant (10xx) in the 17th
  const d = word();
  return (
    hexByte(a, 24) + hexByte(a, 16) + hexByte(a, 8) + hexByte(a, 0) + '-' +
    hexByte(b, 24) + hexByte(b, 16) + '-' + hexByte(b, 8) + hexByte(b, 0) + '-' +
    hexByte(c, 24) + hexByte(c, 16) + '-' + hexByte(c, 8) + hexByte(c, 0) +
    hexByte(d, 24) + hexByte(d, 16) + hexByte(d, 8) + hexByte(d, 0)
  );
}
