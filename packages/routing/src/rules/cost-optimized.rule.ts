import type { GatewayType } from '@aegispay/domain';
import { checkCostModels, estimateFee, type GatewayCostModel } from '../routing/cost-model';
import type { RoutingRule } from '../routing/routing-rule';
import {
  bestTrustedApproval,
  checkThreshold,
  closeToBest,
  ruleOptionChecks,
  thresholdFor,
  type AmountThreshold,
  type BuiltInRuleOptions,
} from './rule-helpers';

/** Options of {@link createCostOptimizedRule}. */
export interface CostOptimizedRuleOptions extends BuiltInRuleOptions {
  /**
   * Fee models per gateway (usually the same object given to the engine). A gateway without one
   * is priced at the cost ratio the collector observed; a gateway with neither is not chosen.
   * Defaults to none.
   */
  readonly costs?: Readonly<Record<string, GatewayCostModel>>;
  /** Approval points the cheapest gateway may be below the best one and still be chosen. Defaults to 0.02. */
  readonly maxApprovalGap?: number;
  /** Evidence needed for an approval estimate to be trusted. Defaults to 20. */
  readonly minEvidence?: number;
}

/**
 * Small payments (amount ≤ `maxAmount` minor units), where a fixed fee is a large share of the
 * amount, go to the cheapest gateway whose proven approval estimate is within `maxApprovalGap`
 * of the best. The rule abstains when no gateway is both priced and close enough.
 * Name `cost-optimized`, priority 80.
 */
export function createCostOptimizedRule(maxAmount: AmountThreshold, options: CostOptimizedRuleOptions = {}): RoutingRule {
  const checks = ruleOptionChecks('createCostOptimizedRule');
  checkThreshold(checks, maxAmount, 'maxAmount');
  const maxGap = checks.rate('maxApprovalGap', options.maxApprovalGap, 0.02);
  const minEvidence = checks.number('minEvidence', options.minEvidence, 20, { min: 0 });
  const costs = checkCostModels(options.costs, 'createCostOptimizedRule');
  return {
    name: options.name ?? 'cost-optimized',
    priority: options.priority ?? 80,
    description: `a small payment goes to the cheapest gateway within ${(maxGap * 100).toFixed(1)} approval points of the best`,
    condition: (payment) => {
      const limit = thresholdFor(maxAmount, payment.currency);
      return limit !== undefined && payment.amount <= limit;
    },
    selectGateway: (payment, availableGateways, metrics) => {
      const best = bestTrustedApproval(availableGateways, metrics, minEvidence);
      if (best === undefined) return undefined;
      let cheapest: GatewayType | undefined;
      let lowestFee = Number.POSITIVE_INFINITY;
      for (const gateway of availableGateways) {
        const gatewayMetrics = metrics.get(gateway);
        if (gatewayMetrics === undefined || gatewayMetrics.recentEvidence < minEvidence) continue;
        if (!closeToBest(gatewayMetrics, best, maxGap, minEvidence)) continue;
        const model = costs.get(gateway);
        const fee =
          model !== undefined
            ? estimateFee(model, payment.amount, payment.currency)
            : gatewayMetrics.costRatio === null
              ? undefined
              : gatewayMetrics.costRatio * payment.amount;
        if (fee !== undefined && fee < lowestFee) {
          lowestFee = fee;
          cheapest = gateway;
        }
      }
      return cheapest;
    },
  };
}
