import type { GatewayType, Payment } from '@aegispay/domain';
import { IntelligentRoutingEngine, type GatewaySelection, type RoutingRequestContext } from '@aegispay/routing';

/**
 * Which gateways can charge which payment method tokens. A token a PSP issued (a Stripe
 * PaymentMethod, an Adyen stored payment method) can only be charged at that PSP: a connector is
 * given the pattern of its PSP's tokens, and a gateway without a pattern (a simulated acquirer, a
 * gateway charging a vault's tokens) takes every token.
 */
export class PaymentMethodEligibility {
  constructor(private readonly patterns: ReadonlyMap<GatewayType, RegExp>) {}

  /** Whether `gateway` can charge `token`. */
  accepts(gateway: GatewayType, token: string): boolean {
    return this.patterns.get(gateway)?.test(token) ?? true;
  }

  /** The gateways of `gateways` that can charge `token`, in their order. */
  eligible(token: string, gateways: readonly GatewayType[]): GatewayType[] {
    return gateways.filter((gateway) => this.accepts(gateway, token));
  }
}

/**
 * The routing engine, choosing only among the gateways that can charge the payment's method:
 * a payment whose token only Stripe can charge is never sent to Adyen, which would refuse it —
 * and count the refusal against its breaker. When no available gateway accepts the token, the
 * choice is among all of them, and the gateway's own refusal says what is wrong with the token.
 * (A routing-strategy hook's choice is the hook's: it is not filtered.)
 */
export class PaymentMethodRoutingEngine extends IntelligentRoutingEngine {
  constructor(
    metricsCollector: ConstructorParameters<typeof IntelligentRoutingEngine>[0],
    options: ConstructorParameters<typeof IntelligentRoutingEngine>[1],
    private readonly eligibility: PaymentMethodEligibility,
  ) {
    super(metricsCollector, options);
  }

  override selectGateway(payment: Payment, availableGateways: readonly GatewayType[], context?: RoutingRequestContext): GatewaySelection {
    if (!Array.isArray(availableGateways)) return super.selectGateway(payment, availableGateways, context);
    const eligible = this.eligibility.eligible(payment.paymentMethod.token, availableGateways);
    return super.selectGateway(payment, eligible.length === 0 ? availableGateways : eligible, context);
  }
}
