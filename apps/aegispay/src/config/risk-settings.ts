import { isCurrencyCode } from '@aegispay/domain';
import { z } from 'zod';
import { integer } from './config.schema';
import { DEFAULT_MAX_AMOUNTS } from './default-max-amounts';

/** A velocity limit: at most `limit` payments in any sliding window of `windowMs`. */
export interface VelocityLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** The risk rules every composed app (`serve`, the demo, chaos experiments) screens payments with. */
export interface RiskConfig {
  /** Currency → largest amount accepted, in its minor units, for every merchant: the defaults with `AEGISPAY_MAX_AMOUNTS` over them. */
  readonly maxAmounts: ReadonlyMap<string, number>;
  /** Merchant → currency → largest amount, over `maxAmounts` for that merchant. */
  readonly merchantMaxAmounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Payments of one customer of a merchant; `null` when switched off (a limit of 0). */
  readonly customerVelocity: VelocityLimit | null;
  /** Payments with one payment method token at a merchant; `null` when switched off. */
  readonly tokenVelocity: VelocityLimit | null;
}

/** One `AEGISPAY_MAX_AMOUNTS` entry: a maximum for a currency, for every merchant (`merchantId` null) or one. */
export interface MaxAmountEntry {
  readonly merchantId: string | null;
  readonly currency: string;
  readonly amount: number;
}

const MERCHANT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const DIGITS = /^\s*\d+\s*$/;

/**
 * `CUR=amount` (every merchant) or `merchant/CUR=amount` (one merchant), comma-separated, or an
 * object of those keys in the file: amounts in the currency's minor units.
 */
const maxAmounts = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be "JPY=5000000,merchant_a/EUR=100000" or an object such as {"JPY": 5000000}' })
  .transform((value, context) => {
    const pairs: [string, unknown][] =
      typeof value === 'string'
        ? value
            .split(',')
            .filter((pair) => pair.trim() !== '')
            .map((pair) => {
              const at = pair.lastIndexOf('=');
              return at < 0 ? [pair.trim(), undefined] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
            })
        : Object.entries(value);
    const entries: MaxAmountEntry[] = [];
    const seen = new Set<string>();
    for (const [target, given] of pairs) {
      const problem = entryProblem(target, given);
      if (problem !== undefined) {
        context.addIssue({ code: 'custom', message: `"${target.slice(0, 80)}": ${problem}` });
        continue;
      }
      const slash = target.lastIndexOf('/');
      const entry = { merchantId: slash < 0 ? null : target.slice(0, slash), currency: target.slice(slash + 1), amount: Number(given) };
      if (seen.has(target)) context.addIssue({ code: 'custom', message: `"${target}" is given twice` });
      seen.add(target);
      entries.push(entry);
    }
    return entries;
  });

function entryProblem(target: string, amount: unknown): string | undefined {
  const slash = target.lastIndexOf('/');
  const merchant = slash < 0 ? null : target.slice(0, slash);
  const currency = target.slice(slash + 1);
  if (merchant !== null && !MERCHANT_ID.test(merchant)) return 'the merchant id must be 1–64 letters, digits or _ . : - (entries are CUR=amount or merchant/CUR=amount)';
  if (!isCurrencyCode(currency)) return `${JSON.stringify(target.slice(slash + 1, slash + 13))} is not an ISO 4217 currency code in capitals (entries are CUR=amount or merchant/CUR=amount)`;
  const number = typeof amount === 'number' ? amount : typeof amount === 'string' && DIGITS.test(amount) ? Number(amount) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1) return 'the maximum must be a whole number of minor units from 1 to 9007199254740991';
  return undefined;
}

/** The risk settings, keyed as in a configuration file (merged into the app's one schema). */
export const riskSettings = {
  maxAmounts,
  customerVelocityLimit: integer(0, 1_000_000),
  customerVelocityWindowMs: integer(1_000, 2_592_000_000),
  tokenVelocityLimit: integer(0, 1_000_000),
  tokenVelocityWindowMs: integer(1_000, 2_592_000_000),
};

/** The environment variable of each risk setting. */
export const RISK_SOURCES = {
  maxAmounts: 'AEGISPAY_MAX_AMOUNTS',
  customerVelocityLimit: 'AEGISPAY_CUSTOMER_VELOCITY_LIMIT',
  customerVelocityWindowMs: 'AEGISPAY_CUSTOMER_VELOCITY_WINDOW_MS',
  tokenVelocityLimit: 'AEGISPAY_TOKEN_VELOCITY_LIMIT',
  tokenVelocityWindowMs: 'AEGISPAY_TOKEN_VELOCITY_WINDOW_MS',
} as const satisfies Record<keyof typeof riskSettings, string>;

/**
 * Defaults: the per-currency ceilings of `default-max-amounts.ts`, and 20 payments per customer and
 * 20 per payment method token in any 10 minutes at one merchant — far above what a person does,
 * far below what a script testing cards or hammering one card does.
 */
export const RISK_DEFAULTS: Record<keyof typeof riskSettings, unknown> = {
  maxAmounts: '',
  customerVelocityLimit: 20,
  customerVelocityWindowMs: 600_000,
  tokenVelocityLimit: 20,
  tokenVelocityWindowMs: 600_000,
};

/** The parsed risk settings. */
export type RiskSettings = { readonly [K in keyof typeof riskSettings]: z.output<(typeof riskSettings)[K]> };

/** Shapes the parsed settings as a {@link RiskConfig}. */
export function riskConfigOf(settings: RiskSettings): RiskConfig {
  const maxAmounts = new Map(DEFAULT_MAX_AMOUNTS);
  const merchantMaxAmounts = new Map<string, Map<string, number>>();
  for (const entry of settings.maxAmounts) {
    if (entry.merchantId === null) {
      maxAmounts.set(entry.currency, entry.amount);
    } else {
      const own = merchantMaxAmounts.get(entry.merchantId) ?? new Map<string, number>();
      own.set(entry.currency, entry.amount);
      merchantMaxAmounts.set(entry.merchantId, own);
    }
  }
  const velocity = (limit: number, windowMs: number): VelocityLimit | null => (limit === 0 ? null : Object.freeze({ limit, windowMs }));
  return Object.freeze({
    maxAmounts,
    merchantMaxAmounts,
    customerVelocity: velocity(settings.customerVelocityLimit, settings.customerVelocityWindowMs),
    tokenVelocity: velocity(settings.tokenVelocityLimit, settings.tokenVelocityWindowMs),
  });
}
