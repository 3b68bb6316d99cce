import type { Clock, GatewayType, Payment } from '@aegispay/domain';
import type { HookExecutor } from '@aegispay/hooks';
import type { CircuitBreakerManager } from '@aegispay/resilience';
import type { IntelligentRoutingEngine } from '@aegispay/routing';
import { hookContextOf, type CallSession } from '../support/call-session';

/** What {@link GatewayCandidates} works with. */
export interface GatewayCandidatesDependencies {
  readonly gateways: ReadonlySet<GatewayType>;
  readonly breakers: CircuitBreakerManager;
  readonly routing: IntelligentRoutingEngine;
  readonly hooks?: HookExecutor;
  readonly clock: Clock;
  /** Minimum breaker health score; `undefined` leaves each breaker's own. */
  readonly minHealthScore: number | undefined;
}

/**
 * The gateways a payment may be sent to, in the order to try them: the healthy ones (breaker health
 * at least `minHealthScore`, half-open ones included), a routing-strategy hook's choice first, then
 * the routing engine's ranking.
 */
export class GatewayCandidates {
  constructor(private readonly deps: GatewayCandidatesDependencies) {}

  async rank(payment: Payment, session: CallSession): Promise<GatewayType[]> {
    const { breakers, gateways, hooks, routing } = this.deps;
    const healthy = breakers.getHealthyGateways(this.deps.minHealthScore).filter((name) => gateways.has(name));
    if (healthy.length === 0) return [];
    const order: GatewayType[] = [];
    if (hooks !== undefined) {
      const outcome = await hooks.executeRoutingStrategies({ ...hookContextOf(payment, session, this.deps.clock), availableGateways: healthy });
      if (outcome.decision !== null) order.push(outcome.decision.gatewayType);
    }
    const decision = routing.selectGateway(payment, healthy);
    for (const name of [decision.selectedGateway, ...decision.alternatives.map((alternative) => alternative.gateway)]) {
      if (!order.includes(name) && healthy.includes(name)) order.push(name);
    }
    return order;
  }

  /** True when `gateway`'s breaker would let a call through now (a refusal costs no write and no attempt). */
  permits(gateway: GatewayType): boolean {
    return this.deps.breakers.getBreaker(gateway).isCallPermitted();
  }
}
