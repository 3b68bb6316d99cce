/**
 * Issuer identification number (IIN) ranges of the card networks and the lengths of their card
 * numbers, from the public references (ISO/IEC 7812 and the networks' published ranges as
 * collected in the "Payment card number" article and in Braintree's `credit-card-type` list).
 *
 * The table is read by the card-number detector: a digit run is a card number only when its first
 * digits fall in one of these ranges **and** its length is one of that network's lengths. Ranges
 * are inclusive and compared on their own number of leading digits (`'2221'`–`'2720'` looks at
 * four digits).
 *
 * Left out on purpose, because every millisecond, microsecond and nanosecond Unix timestamp
 * until the year 2286 begins with 1, and keys such as `order-<timestamp>` must never be taken
 * for card data: UATP (prefix 1, 15 digits, airline cards), the legacy JCB ranges 1800 and 2131
 * (15 digits) and GPN's 1946. Defunct ranges (Diners Club enRoute, Solo, Switch, Laser) are
 * covered by Maestro's or left out. Twelve-digit Maestro numbers are below the detector's
 * 13-digit floor.
 */
export interface CardIssuer {
  /** The network, for people reading the table. */
  readonly network: string;
  /** Inclusive IIN ranges as `[from, to]` digit strings of equal length (`['51', '55']`). */
  readonly ranges: readonly (readonly [string, string])[];
  /** The card-number lengths the network issues. */
  readonly lengths: readonly number[];
}

const range = (from: string, to: string = from): readonly [string, string] => [from, to];
const lengths = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** The card networks the detector recognises, with their IIN ranges and card-number lengths. */
export const CARD_ISSUERS: readonly CardIssuer[] = Object.freeze([
  { network: 'Visa (Visa Electron, V Pay and Elo co-brands included)', ranges: [range('4')], lengths: [13, 16, 18, 19] },
  { network: 'Mastercard', ranges: [range('51', '55'), range('2221', '2720')], lengths: [16] },
  { network: 'American Express', ranges: [range('34'), range('37')], lengths: [15] },
  { network: 'Diners Club (International, Carte Blanche)', ranges: [range('300', '305'), range('3095'), range('36'), range('38', '39')], lengths: lengths(14, 19) },
  { network: 'Discover', ranges: [range('6011'), range('644', '649'), range('65')], lengths: lengths(16, 19) },
  { network: 'JCB', ranges: [range('3528', '3589')], lengths: lengths(16, 19) },
  { network: 'UnionPay', ranges: [range('62'), range('81')], lengths: lengths(14, 19) },
  { network: 'China T-Union', ranges: [range('31')], lengths: [19] },
  { network: 'Maestro (Dankort, Verve, Elo, InterPayment, InstaPayment and other debit ranges included)', ranges: [range('50'), range('56', '69')], lengths: lengths(13, 19) },
  { network: 'Mir', ranges: [range('2200', '2204')], lengths: lengths(16, 19) },
  { network: 'BORICA', ranges: [range('2205')], lengths: [16] },
  { network: 'RuPay', ranges: [range('353'), range('356'), range('508'), range('60'), range('65'), range('81', '82')], lengths: [16] },
  { network: 'LankaPay', ranges: [range('357111')], lengths: [16] },
  { network: 'Troy', ranges: [range('9792')], lengths: [16] },
  { network: 'Napas', ranges: [range('9704')], lengths: [16, 19] },
  { network: 'Uzcard', ranges: [range('8600')], lengths: [16] },
  { network: 'Humo', ranges: [range('9860')], lengths: [16] },
]);

/** Shortest and longest card number the detector looks for (ISO/IEC 7812 allows 8–19; networks issue 13–19). */
export const CARD_NUMBER_LENGTH = Object.freeze({ min: 13, max: 19 });

/**
 * The network whose IIN ranges and lengths fit `digits` (a string of ASCII digits), or
 * `undefined`. Says nothing about the Luhn check digit: see `luhnValid`.
 */
export function cardIssuerOf(digits: string): CardIssuer | undefined {
  for (const issuer of CARD_ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    for (const [from, to] of issuer.ranges) {
      const prefix = digits.slice(0, from.length);
      if (prefix >= from && prefix <= to) return issuer;
    }
  }
  return undefined;
}
