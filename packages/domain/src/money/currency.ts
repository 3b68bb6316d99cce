import { ISO_4217_EXPONENTS } from './iso-4217';
import { InvalidCurrencyError } from './money.errors';

/** An ISO 4217 currency: its three-letter code and the number of decimal places of its minor unit. */
export interface Currency {
  /** Three upper-case letters, for example `EUR`. */
  readonly code: string;
  /** Decimal places of the minor unit: JPY 0, EUR 2, KWD 3, CLF 4. */
  readonly exponent: number;
}

const CURRENCIES: ReadonlyMap<string, Currency> = new Map(
  Object.entries(ISO_4217_EXPONENTS).map(([code, exponent]) => [code, Object.freeze({ code, exponent })]),
);

const CODE_SHAPE = /^[A-Z]{3}$/;

/** Every active ISO 4217 currency AegisPay accepts, in code order. */
export function listCurrencies(): readonly Currency[] {
  return [...CURRENCIES.values()];
}

/** True when `code` is an active ISO 4217 code (exactly three upper-case letters). */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && CURRENCIES.has(code);
}

/**
 * Looks a currency up by its ISO 4217 code.
 *
 * @throws InvalidCurrencyError `MONEY.INVALID_CURRENCY_FORMAT` when the code is not three
 *   upper-case letters (codes are case-sensitive: `eur` is refused, not guessed), and
 *   `MONEY.UNKNOWN_CURRENCY` when it is well formed but not an active ISO 4217 currency.
 */
export function currencyOf(code: unknown): Currency {
  if (typeof code !== 'string' || !CODE_SHAPE.test(code)) {
    throw new InvalidCurrencyError(
      'MONEY.INVALID_CURRENCY_FORMAT',
      `Currency must be an ISO 4217 code of three upper-case letters (for example "EUR"), got ${describe(code)}.`,
    );
  }
  const currency = CURRENCIES.get(code);
  if (currency === undefined) {
    throw new InvalidCurrencyError(
      'MONEY.UNKNOWN_CURRENCY',
      `Currency "${code}" is not an active ISO 4217 currency with a minor unit; use a code such as EUR, USD or JPY.`,
    );
  }
  return currency;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 12 ? `${value.slice(0, 12)}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null) return 'null';
  return `a value of type ${typeof value}`;
}
