import type { GatewayType } from '@aegispay/domain';
import type { RoutingRule } from '../routing/routing-rule';
import { checkThreshold, ruleOptionChecks, thresholdFor, trustedApproval, type AmountThreshold, type BuiltInRuleOptions } from './rule-helpers';

/** Options of {@link createHighValueRule}. */
export interface HighValueRuleOptions extends BuiltInRuleOptions {
  /**
   * Outcomes (recency-weighted) a gateway needs behind its approval estimate to be trusted with
   * a large payment; gateways with less are not chosen by this rule. Defaults to 20.
   */
  readonly minEvidence?: number;
}

/**
 * High-value payments (amount ≥ `threshold` minor units) go to the available gateway with the best
 * approval estimate among those with enough evidence: no exploration with large amounts. The
 * rule abstains when no gateway has enough evidence. Name `high-value`, priority 100.
 *
 * @param threshold minor units, for every currency or per currency (`{ EUR: 100_00, JPY: 15_000 }`).
 */
export function createHighValueRule(threshold: AmountThreshold, options: HighValueRuleOptions = {}): RoutingRule {
  const checks = ruleOptionChecks('createHighValueRule');
  checkThreshold(checks, threshold, 'threshold');
  const minEvidence = checks.number('minEvidence', options.minEvidence, 20, { min: 0 });
  const shown = typeof threshold === 'number' ? `${threshold} minor units` : 'the per-currency threshold';
  return {
    name: options.name ?? 'high-value',
    priority: options.priority ?? 100,
    description: `a payment of ${shown} or more goes to the gateway with the best proven approval rate`,
    condition: (payment) => {
      const limit = thresholdFor(threshold, payment.currency);
      return limit !== undefined && payment.amount >= limit;
    },
    selectGateway: (_payment, availableGateways, metrics) => {
      let best: GatewayType | undefined;
      let bestApproval = -1;
      for (const gateway of availableGateways) {
        const approval = trustedApproval(metrics.get(gateway), minEvidence);
        if (approval !== undefined && approval > bestApproval) {
          bestApproval = approval;
          best = gateway;
        }
      }
      return best;
    },
  };
}
