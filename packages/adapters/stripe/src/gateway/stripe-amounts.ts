import { Money, currencyOf, type GatewayType } from '@aegispay/domain';
import { InvalidStripeRequestError } from '../errors/stripe.errors';

/*
 * Stripe takes amounts "in the smallest currency unit", which is the ISO 4217 minor unit except
 * where Stripe says otherwise (https://docs.stripe.com/currencies, "Special cases"):
 * - ISK is a two-decimal currency in Stripe's API (100 = 1 króna) although ISO 4217 gives it no
 *   decimals; Stripe refuses ISK amounts not divisible by 100.
 * - Three-decimal currencies (BHD, JOD, KWD, OMR, TND) are sent in thousandths, but the last digit
 *   must be 0 for Stripe's payment partners.
 */

/** Currencies whose Stripe exponent differs from ISO 4217's, with Stripe's. */
export const STRIPE_EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = Object.freeze({ ISK: 2 });

/** Three-decimal currencies whose Stripe amounts must end in 0. */
export const STRIPE_ROUND_TO_TEN: ReadonlySet<string> = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** An amount as Stripe's API writes it. */
export interface StripeAmount {
  /** Integer in Stripe's smallest unit of the currency. */
  readonly amount: number;
  /** Lower-case ISO 4217 code, as Stripe requires. */
  readonly currency: string;
}

/**
 * `money` in Stripe's units.
 * @throws InvalidStripeRequestError (nothing sent) when Stripe cannot take the amount as it is.
 */
export function toStripeAmount(gateway: GatewayType, field: string, money: Money): StripeAmount {
  const code = money.currencyCode;
  if (STRIPE_ROUND_TO_TEN.has(code) && money.amount % 10 !== 0) {
    throw new InvalidStripeRequestError(
      gateway,
      field,
      `${gateway} takes ${code} amounts in multiples of 0.010 ${code} only (got ${money.toString()}); round the amount before paying with ${gateway}.`,
    );
  }
  const factor = 10 ** ((STRIPE_EXPONENT_EXCEPTIONS[code] ?? money.currency.exponent) - money.currency.exponent);
  return { amount: money.amount * factor, currency: code.toLowerCase() };
}

/** Money from an amount in Stripe's units (the inverse of {@link toStripeAmount}). */
export function fromStripeAmount(amount: number, currency: string): Money {
  const resolved = currencyOf(currency.toUpperCase());
  const factor = 10 ** ((STRIPE_EXPONENT_EXCEPTIONS[resolved.code] ?? resolved.exponent) - resolved.exponent);
  return Money.of(Math.floor(amount / factor), resolved.code);
}
