// eslint-disable-next-line no-control-regex -- any character outside ASCII
const NON_ASCII = /[^\u0000-\u007f]/;
/** Invisible characters (zero-width spaces and joiners, soft hyphens, BOMs) and combining marks. */
const INVISIBLE = /[\p{Cf}\p{M}]/gu;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const NON_ASCII_DECIMAL_DIGIT = /(?![0-9])\p{Nd}/gu;

/**
 * `text` with every digit written as an ASCII digit, so that a card number typed in full-width
 * (`４２４２…`), Arabic-Indic (`٤٢٤٢…`), Devanagari or mathematical digits, or with invisible
 * characters between its digits, reads as one. Compatibility forms (full-width digits and
 * punctuation, no-break and ideographic spaces, superscripts, circled digits) are folded by NFKC;
 * other decimal digits (Unicode `Nd`) by their value; format characters (`Cf`: zero-width spaces,
 * soft hyphens, word joiners) and combining marks are dropped. ASCII text is returned unchanged.
 *
 * The result is for looking at, never for storing: it changes lengths and drops characters.
 */
export function foldDigits(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(NON_ASCII_DECIMAL_DIGIT, (digit) => String(decimalDigitValue(digit.codePointAt(0) as number)));
}

const zeroOf = new Map<number, number>();

/**
 * The value of a decimal digit. Unicode guarantees that `Nd` characters come in contiguous runs
 * of ten, from 0 to 9 (adjacent runs, like the mathematical digits, each start with their 0), so
 * the value is the distance from the first digit of the character's run, modulo ten. This follows
 * the Unicode version of the running engine, with no table to keep up to date.
 */
function decimalDigitValue(codePoint: number): number {
  let zero = zeroOf.get(codePoint);
  if (zero === undefined) {
    zero = codePoint;
    while (zero > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero -= 1;
    zeroOf.set(codePoint, zero);
  }
  return (codePoint - zero) % 10;
}
