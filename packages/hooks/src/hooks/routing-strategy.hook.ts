import type { GatewayType } from '@aegispay/domain';

import type { HookInvocation, RoutingContext } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** A routing strategy's choice. */
export interface RoutingDecision {
  /** Must be one of the context's `availableGateways`; any other is rejected. */
  readonly gatewayType: GatewayType;
  /** 0 to 1. Only a decision at or above the executor's `minRoutingConfidence` is taken. */
  readonly confidence: number;
  /** Why, for logs and the payment's routing record. */
  readonly reason: string;
  /** Passed through to the outcome. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Picks a gateway for a payment, or abstains by returning `null`/`undefined`. Strategies are asked
 * in priority order; the first confident decision for an available gateway wins.
 */
export interface RoutingStrategyHook extends HookBase {
  execute(context: HookInvocation<RoutingContext>): Awaitable<RoutingDecision | null | undefined>;
}
