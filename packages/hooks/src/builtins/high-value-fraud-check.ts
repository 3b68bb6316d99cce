import type { HookInvocation } from '../context/hook-context';
import type { FraudCheckHook, FraudCheckResult } from '../hooks/fraud-check.hook';
import { hookOptionChecks } from '../errors/hook.errors';
import type { BuiltInCheckOptions } from './built-in-check.options';

/** Options of {@link HighValueFraudCheck}. */
export interface HighValueFraudCheckOptions extends BuiltInCheckOptions {
  /**
   * Thresholds for particular currencies, in that currency's minor units
   * (`{ JPY: 1_500_000, KWD: 3_000_000 }`); other currencies use the constructor's threshold.
   * Defaults to none.
   */
  readonly perCurrency?: Readonly<Record<string, number>>;
  /**
   * Thresholds of particular merchants, by currency, in minor units
   * (`{ merchant_travel: { EUR: 50_000_000 } }`): for that merchant's payments they win over
   * `perCurrency` and the constructor's threshold. Defaults to none.
   */
  readonly perMerchant?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Score of a refusal, 0–1. Defaults to 0.9. */
  readonly riskScore?: number;
}

const OWNER = 'HighValueFraudCheck';
const checks = hookOptionChecks(OWNER);

/**
 * Refuses a payment whose amount is above a threshold (an amount equal to it passes).
 *
 * Amounts are compared in minor units of the payment's own currency (10 000 is 100.00 EUR but
 * 10 000 JPY): without exchange rates, one number cannot mean the same value in every currency,
 * so give `perCurrency` thresholds when you take several currencies.
 */
export class HighValueFraudCheck implements FraudCheckHook {
  readonly name: string;
  readonly priority: number;
  readonly enabled = true;
  private readonly perCurrency: ReadonlyMap<string, number>;
  private readonly perMerchant: ReadonlyMap<string, ReadonlyMap<string, number>>;
  private readonly riskScore: number;

  /**
   * @param threshold the largest accepted amount, in minor units (a non-negative integer).
   * @throws InvalidOptionError `HOOK.INVALID_OPTION` for a negative or fractional threshold.
   */
  constructor(
    readonly threshold: number,
    options: HighValueFraudCheckOptions = {},
  ) {
    checks.integer('threshold', threshold, undefined, { min: 0 });
    this.name = options.name ?? OWNER;
    this.priority = options.priority ?? 100;
    this.riskScore = checks.rate('riskScore', options.riskScore, 0.9);
    this.perCurrency = thresholds('perCurrency', options.perCurrency ?? {});
    const perMerchant = new Map<string, ReadonlyMap<string, number>>();
    for (const [merchantId, limits] of Object.entries(checks.object('perMerchant', options.perMerchant, {}))) {
      perMerchant.set(merchantId, thresholds(`perMerchant.${merchantId}`, checks.object(`perMerchant.${merchantId}`, limits, undefined)));
    }
    this.perMerchant = perMerchant;
  }

  /** The threshold applied to `currency`: the merchant's own when `merchantId` has one for it. */
  thresholdFor(currency: string, merchantId?: string): number {
    const code = currency.toUpperCase();
    return (merchantId === undefined ? undefined : this.perMerchant.get(merchantId)?.get(code)) ?? this.perCurrency.get(code) ?? this.threshold;
  }

  execute(context: HookInvocation): FraudCheckResult {
    const { amount, currency, merchantId } = context.payment;
    const threshold = this.thresholdFor(currency, merchantId);
    if (amount <= threshold) return { allowed: true, riskScore: 0 };
    const whose = this.perMerchant.get(merchantId)?.has(currency.toUpperCase()) === true ? ` set for merchant ${merchantId}` : '';
    return {
      allowed: false,
      riskScore: this.riskScore,
      reason: `Payment amount ${amount} ${currency} (minor units) exceeds the high-value threshold of ${threshold}${whose}`,
      metadata: { amount, currency, threshold },
    };
  }
}

/** Currency → threshold, each a non-negative integer, codes upper-cased. */
function thresholds(option: string, limits: Readonly<Record<string, number>>): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const [currency, limit] of Object.entries(limits)) {
    checks.integer(`${option}.${currency}`, limit, undefined, { min: 0 });
    map.set(currency.toUpperCase(), limit);
  }
  return map;
}
