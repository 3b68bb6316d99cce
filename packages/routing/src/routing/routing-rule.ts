import type { GatewayType, Payment } from '@aegispay/domain';
import type { GatewayMetrics } from '../metrics/gateway-metrics';

/** What the caller of `selectGateway` may say about the payment beyond the payment itself. */
export interface RoutingRequestContext {
  /** The payment is latency-sensitive (a checkout waiting on a terminal, a UPI collect): used by the low-latency rule. */
  readonly latencySensitive?: boolean;
  /** Free-form attributes for custom rules (channel, merchant tier, …). */
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The context a routing rule's condition receives: the caller's context plus the engine's clock
 * time. (A routing strategy hook's context, in `@aegispay/hooks`, is a `RoutingContext`.)
 */
export interface RoutingRuleContext extends RoutingRequestContext {
  /** Clock time of the decision (epoch ms). Rules should read time here, never from the system clock. */
  readonly now: number;
}

/**
 * A routing rule. Rules are tried by descending `priority` (ties in registration order); the
 * first whose `condition` holds and whose `selectGateway` returns one of the available gateways
 * decides. Returning `null` or `undefined`, or a gateway that is not available, lets the next
 * rule (and finally the scoring) decide.
 */
export interface RoutingRule {
  /** Unique name, reported in decisions as the deciding rule. */
  readonly name: string;
  /** Higher runs first. */
  readonly priority: number;
  /** Short human-readable description, quoted in decision reasons. */
  readonly description?: string;
  /** Whether the rule applies to this payment. */
  readonly condition: (payment: Payment, context: RoutingRuleContext) => boolean;
  /**
   * The gateway the rule wants among `availableGateways`. `metrics` holds the window metrics of
   * every available gateway (built lazily: reading it costs a metrics computation).
   */
  readonly selectGateway: (
    payment: Payment,
    availableGateways: readonly GatewayType[],
    metrics: ReadonlyMap<GatewayType, GatewayMetrics>,
  ) => GatewayType | null | undefined;
}
