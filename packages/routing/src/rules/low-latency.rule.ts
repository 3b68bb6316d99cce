import type { GatewayType, PaymentMethodType } from '@aegispay/domain';
import type { RoutingRule } from '../routing/routing-rule';
import { bestTrustedApproval, closeToBest, ruleOptionChecks, type BuiltInRuleOptions } from './rule-helpers';

/** Options of {@link createLowLatencyRule}. */
export interface LowLatencyRuleOptions extends BuiltInRuleOptions {
  /** Payment method types that are always latency-sensitive (for example `['UPI']`). Defaults to none. */
  readonly paymentMethodTypes?: readonly PaymentMethodType[];
  /**
   * A fast gateway is only chosen if its approval estimate is at most this far below the best
   * available one (a gateway in an outage often fails fast). Defaults to 0.05.
   */
  readonly maxApprovalGap?: number;
  /** Evidence needed for an approval estimate to count in that comparison. Defaults to 20. */
  readonly minEvidence?: number;
}

/**
 * Latency-sensitive payments (the caller's context says `latencySensitive: true`, the payment's
 * metadata has `latencySensitive: true`, or its method type is listed) go to the gateway with
 * the best approval estimate among those whose window p95 latency is at most `maxLatencyMs` and
 * that are healthy. The rule abstains when no gateway qualifies. Name `low-latency`, priority 90.
 */
export function createLowLatencyRule(maxLatencyMs: number, options: LowLatencyRuleOptions = {}): RoutingRule {
  const checks = ruleOptionChecks('createLowLatencyRule');
  checks.number('maxLatencyMs', maxLatencyMs, undefined, { min: 0 });
  const maxGap = checks.rate('maxApprovalGap', options.maxApprovalGap, 0.05);
  const minEvidence = checks.number('minEvidence', options.minEvidence, 20, { min: 0 });
  const methods = new Set<string>(options.paymentMethodTypes ?? []);
  return {
    name: options.name ?? 'low-latency',
    priority: options.priority ?? 90,
    description: `a latency-sensitive payment goes to a healthy gateway with a p95 latency of at most ${maxLatencyMs} ms`,
    condition: (payment, context) =>
      context.latencySensitive === true || payment.metadata['latencySensitive'] === true || methods.has(payment.paymentMethod.type),
    selectGateway: (_payment, availableGateways, metrics) => {
      const best = bestTrustedApproval(availableGateways, metrics, minEvidence);
      let chosen: GatewayType | undefined;
      let chosenApproval = -1;
      let chosenLatency = Number.POSITIVE_INFINITY;
      for (const gateway of availableGateways) {
        const gatewayMetrics = metrics.get(gateway);
        if (gatewayMetrics === undefined || !gatewayMetrics.hasData || gatewayMetrics.p95Latency > maxLatencyMs) continue;
        if (!closeToBest(gatewayMetrics, best, maxGap, minEvidence)) continue;
        const approval = gatewayMetrics.recentApprovalRate ?? 0;
        if (approval > chosenApproval || (approval === chosenApproval && gatewayMetrics.p95Latency < chosenLatency)) {
          chosen = gateway;
          chosenApproval = approval;
          chosenLatency = gatewayMetrics.p95Latency;
        }
      }
      return chosen;
    },
  };
}
