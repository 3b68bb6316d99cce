import { Money, isCurrencyCode } from '@aegispay/domain';
import { check } from '../options/option-checks';

/** A fee rate: a percentage of the amount plus a fixed part. */
export interface FeeRate {
  /** Percentage of the charged amount: `2.9` for 2.9 %. In [0, 100], at most four decimal places. */
  readonly percentage: number;
  /** Fixed part, in minor units of the rate's currency (`30` = 0.30 USD). Defaults to 0. */
  readonly fixed?: number;
}

/** Options of {@link FeeSchedule}. */
export interface FeeScheduleOptions {
  /**
   * Rate for currencies not listed in `currencies`. A percentage only: a fixed fee is an amount of
   * money and means nothing without its currency. Defaults to `{ percentage: 0 }`.
   */
  readonly default?: { readonly percentage: number };
  /** Rates per ISO 4217 code (`{ USD: { percentage: 2.9, fixed: 30 } }`). Defaults to none. */
  readonly currencies?: Readonly<Record<string, FeeRate>>;
}

interface ResolvedRate {
  /** Parts per million of the amount: 2.9 % is 29 000. Integer, so the fee is computed exactly. */
  readonly ppm: number;
  readonly fixed: number;
}

const MILLION = 1_000_000;

/**
 * What a gateway charges the merchant for an approved payment: `fixed + amount × percentage`,
 * per currency where the schedule lists one, rounded half-up to the minor unit. Computed in
 * integers (the percentage is held in parts per million), so no float ever touches money.
 */
export class FeeSchedule {
  private readonly defaultRate: ResolvedRate;
  private readonly rates: ReadonlyMap<string, ResolvedRate>;

  /**
   * @param optionPrefix path of these options in the caller's options, for error messages.
   * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when a percentage is outside [0, 100] or finer than 0.0001,
   *   a fixed part is not a non-negative integer, a currency is not an active ISO 4217 code, or
   *   the default rate has a fixed part.
   */
  constructor(options: FeeScheduleOptions = {}, optionPrefix = 'fees') {
    check.object(optionPrefix, options, {});
    const defaults = check.object(`${optionPrefix}.default`, options.default, { percentage: 0 });
    if ((defaults as { fixed?: unknown }).fixed !== undefined) {
      throw check.invalid(
        `${optionPrefix}.default.fixed`,
        'is not allowed: a fixed fee needs a currency, list it under currencies',
        (defaults as { fixed?: unknown }).fixed,
      );
    }
    this.defaultRate = { ppm: toPpm(`${optionPrefix}.default.percentage`, defaults.percentage), fixed: 0 };
    const rates = new Map<string, ResolvedRate>();
    for (const [currency, rate] of Object.entries(check.object(`${optionPrefix}.currencies`, options.currencies, {}))) {
      const path = `${optionPrefix}.currencies.${currency}`;
      if (!isCurrencyCode(currency)) {
        throw check.invalid(path, 'is not an active ISO 4217 currency code', currency);
      }
      check.object(path, rate, { percentage: 0 });
      rates.set(currency, { ppm: toPpm(`${path}.percentage`, rate.percentage), fixed: check.integer(`${path}.fixed`, rate.fixed, 0, { min: 0 }) });
    }
    this.rates = rates;
  }

  /** The rate applied to `currency`: its own when listed, else the default (percentage only). */
  rateFor(currency: string): Required<FeeRate> {
    const rate = this.rates.get(currency) ?? this.defaultRate;
    return { percentage: rate.ppm / 10_000, fixed: rate.fixed };
  }

  /** Currencies with a rate of their own, in code order. */
  currencies(): readonly string[] {
    return [...this.rates.keys()].sort();
  }

  /** The fee for charging `amount`: `fixed + amount × percentage`, rounded half-up to the minor unit. */
  feeFor(amount: Money): Money {
    const rate = this.rates.get(amount.currency.code) ?? this.defaultRate;
    return Money.of(rate.fixed + proportionalFee(amount.amount, rate.ppm), amount.currency.code);
  }
}

/** `amount × ppm / 10⁶` rounded half-up, exact for every safe-integer amount. */
function proportionalFee(amount: number, ppm: number): number {
  const product = amount * ppm;
  if (Number.isSafeInteger(product)) {
    const quotient = Math.floor(product / MILLION);
    return 2 * (product - quotient * MILLION) >= MILLION ? quotient + 1 : quotient;
  }
  const big = BigInt(amount) * BigInt(ppm);
  const quotient = big / BigInt(MILLION);
  return Number(2n * (big - quotient * BigInt(MILLION)) >= BigInt(MILLION) ? quotient + 1n : quotient);
}

function toPpm(option: string, percentage: unknown): number {
  if (percentage === undefined) throw check.invalid(option, 'is required', percentage);
  const value = check.number(option, percentage, 0, { min: 0, max: 100 });
  const ppm = Math.round(value * 10_000);
  if (Math.abs(ppm - value * 10_000) > 1e-6) {
    throw check.invalid(option, 'must have at most four decimal places (0.0001 %)', percentage);
  }
  return ppm;
}
