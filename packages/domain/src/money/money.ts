import { currencyOf, type Currency } from './currency';
import { CurrencyMismatchError, InvalidAmountError } from './money.errors';

/** The JSON form of {@link Money}: integer minor units and an ISO 4217 code. */
export interface MoneyJson {
  readonly amount: number;
  readonly currency: string;
}

/**
 * An amount of money: a non-negative integer number of minor units (cents, yen, fils) in one
 * ISO 4217 currency. Never a float. Immutable.
 *
 * ```ts
 * const price = Money.of(1999, 'EUR'); // 19.99 EUR
 * price.add(Money.of(1, 'EUR')).toString(); // "20.00 EUR"
 * ```
 */
export class Money {
  private constructor(
    /** Integer number of minor units, `0 ≤ amount ≤ Number.MAX_SAFE_INTEGER`. */
    readonly amount: number,
    /** The currency, with its minor-unit exponent. */
    readonly currency: Currency,
  ) {
    Object.freeze(this);
  }

  /**
   * Money from an integer number of minor units.
   *
   * @throws InvalidAmountError when `amount` is not a number, not finite, not an integer,
   *   negative, or above `Number.MAX_SAFE_INTEGER`.
   * @throws InvalidCurrencyError when `currency` is not an active ISO 4217 code.
   */
  static of(amount: unknown, currency: unknown): Money {
    const resolved = currencyOf(currency);
    return new Money(assertMinorUnits(amount), resolved);
  }

  /** Zero in `currency`. */
  static zero(currency: unknown): Money {
    return new Money(0, currencyOf(currency));
  }

  /** Money from its JSON form `{ amount, currency }`, validated like {@link Money.of}. */
  static fromJSON(json: MoneyJson): Money {
    return Money.of(json.amount, json.currency);
  }

  /** The ISO 4217 code of the currency. */
  get currencyCode(): string {
    return this.currency.code;
  }

  /** The sum. @throws CurrencyMismatchError, InvalidAmountError `MONEY.AMOUNT_TOO_LARGE` on overflow. */
  add(other: Money): Money {
    this.assertSameCurrency(other, 'add');
    return new Money(assertMinorUnits(this.amount + other.amount), this.currency);
  }

  /** The difference. @throws CurrencyMismatchError, InvalidAmountError `MONEY.AMOUNT_NEGATIVE` below zero. */
  subtract(other: Money): Money {
    this.assertSameCurrency(other, 'subtract');
    return new Money(assertMinorUnits(this.amount - other.amount), this.currency);
  }

  /** -1, 0 or 1. @throws CurrencyMismatchError */
  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other, 'compare');
    return this.amount < other.amount ? -1 : this.amount > other.amount ? 1 : 0;
  }

  /** Same currency and same amount (no error across currencies: they are simply not equal). */
  equals(other: Money): boolean {
    return this.currency.code === other.currency.code && this.amount === other.amount;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  isZero(): boolean {
    return this.amount === 0;
  }

  /** The smaller of the two. @throws CurrencyMismatchError */
  min(other: Money): Money {
    return this.compare(other) <= 0 ? this : other;
  }

  /** The amount in major units as an exact decimal string: `"19.99"` for 1999 EUR, `"1999"` for 1999 JPY. */
  toDecimalString(): string {
    const { exponent } = this.currency;
    if (exponent === 0) return String(this.amount);
    const digits = String(this.amount).padStart(exponent + 1, '0');
    return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  }

  /** `"19.99 EUR"`. */
  toString(): string {
    return `${this.toDecimalString()} ${this.currency.code}`;
  }

  toJSON(): MoneyJson {
    return { amount: this.amount, currency: this.currency.code };
  }

  private assertSameCurrency(other: Money, operation: string): void {
    if (other.currency.code !== this.currency.code) {
      throw new CurrencyMismatchError(this.currency.code, other.currency.code, operation);
    }
  }
}

/**
 * Returns `value` when it is a valid count of minor units, else throws the precise reason.
 * Exported for adapters that validate amounts before building Money (for example a request body).
 */
export function assertMinorUnits(value: unknown, field = 'amount'): number {
  if (typeof value !== 'number') {
    throw new InvalidAmountError(
      'MONEY.AMOUNT_NOT_A_NUMBER',
      `${field} must be a number of minor units, got a value of type ${value === null ? 'null' : typeof value}.`,
      field,
    );
  }
  if (!Number.isFinite(value)) {
    throw new InvalidAmountError('MONEY.AMOUNT_NOT_FINITE', `${field} must be finite, got ${value}.`, field);
  }
  if (!Number.isInteger(value)) {
    throw new InvalidAmountError(
      'MONEY.AMOUNT_NOT_INTEGER',
      `${field} must be an integer number of minor units (for example 1999 for 19.99 EUR), got ${value}.`,
      field,
    );
  }
  if (value < 0) {
    throw new InvalidAmountError('MONEY.AMOUNT_NEGATIVE', `${field} must not be negative, got ${value}.`, field);
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new InvalidAmountError(
      'MONEY.AMOUNT_TOO_LARGE',
      `${field} must not exceed ${Number.MAX_SAFE_INTEGER} minor units, got ${value}.`,
      field,
    );
  }
  // -0 is an integer and not < 0; normalise it so it never leaks into storage.
  return value === 0 ? 0 : value;
}
