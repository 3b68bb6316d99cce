import type { Clock, VelocityCounterStore } from '@aegispay/domain';
import { HighValueFraudCheck, HookRegistry, VelocityFraudCheck } from '@aegispay/hooks';
import type { RiskConfig } from '../config/risk-settings';

/** The names of the default risk rules in the hook registry (each a fraud check; `unregister` one to drop it). */
export const RISK_RULES = Object.freeze({ maxAmount: 'max-amount', customerVelocity: 'customer-velocity', tokenVelocity: 'token-velocity' } as const);

/** What the risk rules need besides their configuration. */
export interface RiskRuleDependencies {
  readonly clock: Clock;
  readonly velocity: VelocityCounterStore;
}

/**
 * A hook registry holding the default risk rules, as fraud checks run before any gateway:
 *
 * - `max-amount`: refuses an amount above the maximum of its merchant and currency
 *   (`risk.merchantMaxAmounts`, else `risk.maxAmounts`, which holds every ISO 4217 currency);
 * - `customer-velocity`: refuses the payment that takes one customer of a merchant over its limit
 *   in the sliding window (payments without a `customerId` are not counted);
 * - `token-velocity`: the same for one payment method token at a merchant.
 *
 * Counts are kept per merchant, so one merchant's traffic never limits another's. A refused payment
 * is answered `REJECTED` `FRAUD_REJECTED`, with a reason naming the rule and its limit.
 */
export function riskRulesRegistry(risk: RiskConfig, deps: RiskRuleDependencies): HookRegistry {
  const registry = new HookRegistry();
  registry.registerFraudCheck(
    new HighValueFraudCheck(Number.MAX_SAFE_INTEGER, {
      name: RISK_RULES.maxAmount,
      // Every currency a payment can be made in has its maximum here: the threshold above is never reached.
      perCurrency: Object.fromEntries(risk.maxAmounts),
      perMerchant: Object.fromEntries([...risk.merchantMaxAmounts].map(([merchantId, limits]) => [merchantId, Object.fromEntries(limits)])),
    }),
  );
  if (risk.customerVelocity !== null) {
    registry.registerFraudCheck(
      new VelocityFraudCheck(risk.customerVelocity.limit, risk.customerVelocity.windowMs, {
        name: RISK_RULES.customerVelocity,
        store: deps.velocity,
        clock: deps.clock,
        key: ({ payment }) => (payment.customerId === null ? undefined : `customer:${payment.merchantId}:${payment.customerId}`),
      }),
    );
  }
  if (risk.tokenVelocity !== null) {
    registry.registerFraudCheck(
      new VelocityFraudCheck(risk.tokenVelocity.limit, risk.tokenVelocity.windowMs, {
        name: RISK_RULES.tokenVelocity,
        store: deps.velocity,
        clock: deps.clock,
        key: ({ payment }) => `token:${payment.merchantId}:${payment.paymentMethod.type}:${payment.paymentMethod.token}`,
      }),
    );
  }
  return registry;
}
