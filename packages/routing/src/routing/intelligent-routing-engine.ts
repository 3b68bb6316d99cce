import type { Clock, GatewayType, Payment } from '@aegispay/domain';
import { InvalidGatewayArgumentError, NoGatewayAvailableError } from '../errors/routing.errors';
import type { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';
import { BetaSampler } from './beta-sampler';
import type { GatewayCostModel } from './cost-model';
import { GatewayMetricsView } from './gateway-metrics-view';
import { GatewayScoring, type ScoredGateway } from './gateway-scoring';
import { ExplainedGatewaySelection, type GatewayScore, type GatewaySelection, type RoutingStrategy } from './gateway-selection';
import { resolveEngineOptions, type IntelligentRoutingEngineOptions, type RoutingWeights } from './intelligent-routing-engine.options';
import type { RoutingRequestContext, RoutingRule } from './routing-rule';
import { RoutingRuleSet } from './routing-rule-set';

/**
 * Chooses a gateway for each payment from live metrics and rules.
 *
 * 1. Rules, by descending priority: the first whose condition holds and whose choice is
 *    available decides.
 * 2. Otherwise every available gateway is scored:
 *    `successWeight × approval + latencyWeight × (1 − p95/latencyBudgetMs) + costWeight × (1 − fee/amount)`,
 *    and the approval term is drawn from each gateway's Beta posterior (optimistic Thompson
 *    sampling: never below its mean). A well-known best gateway wins almost every draw; a new,
 *    recovering or close one wins in proportion to the chance that it really is the best.
 *
 * The approval evidence comes from the collector (recency-weighted, with change detection), so
 * the engine reacts to an outage within a few failures and retries a gateway that recovered.
 * Given the same clock, random source and recorded outcomes, decisions are identical.
 */
export class IntelligentRoutingEngine {
  private readonly normalised: RoutingWeights;
  private readonly costs: ReadonlyMap<string, GatewayCostModel>;
  private readonly exploration: boolean;
  private readonly clock: Clock;
  private readonly rules: RoutingRuleSet;
  private readonly scoring: GatewayScoring;

  /**
   * @throws RoutingConfigurationError for invalid weights (`ROUTING.INVALID_WEIGHTS`), cost models
   *   (`ROUTING.INVALID_COST_MODEL`) or other options (`ROUTING.INVALID_OPTION`), naming the option.
   */
  constructor(
    private readonly metricsCollector: GatewayMetricsCollector,
    options: IntelligentRoutingEngineOptions = {},
  ) {
    const resolved = resolveEngineOptions(options);
    this.normalised = resolved.weights;
    this.costs = resolved.costs;
    this.exploration = resolved.exploration;
    this.clock = resolved.clock;
    this.rules = new RoutingRuleSet(resolved.onRuleError);
    this.scoring = new GatewayScoring(resolved.weights, resolved.latencyBudgetMs, resolved.costs, new BetaSampler(resolved.random));
  }

  /** The normalised weights (summing to 1). */
  get weights(): RoutingWeights {
    return this.normalised;
  }

  /** The fee model of a gateway, if one was configured. */
  costModelOf(gateway: GatewayType): GatewayCostModel | undefined {
    return this.costs.get(gateway);
  }

  /**
   * Adds a rule. Rules run by descending priority, ties in registration order.
   * @throws RoutingConfigurationError `ROUTING.INVALID_RULE` for a malformed rule,
   *   `ROUTING.DUPLICATE_RULE` when a rule with the same name is registered (unregister it first).
   */
  registerRule(rule: RoutingRule): void {
    this.rules.add(rule);
  }

  /** Removes the rule named `name`. Returns whether one was registered. */
  unregisterRule(name: string): boolean {
    return this.rules.remove(name);
  }

  /** The registered rules, in the order they are tried. */
  getRules(): readonly RoutingRule[] {
    return this.rules.list();
  }

  /**
   * Chooses the gateway to try first for `payment` among `availableGateways` (for example those
   * whose circuit breaker is closed), and ranks the others for failover.
   *
   * @param context what the caller knows beyond the payment (latency sensitivity, attributes for custom rules).
   * @returns the selection; `alternatives` excludes the selected gateway and is ranked best first.
   * @throws NoGatewayAvailableError when `availableGateways` is empty.
   * @throws InvalidGatewayArgumentError `ROUTING.INVALID_GATEWAYS` when it is not an array of non-empty names.
   * @throws RoutingRuleError when a rule throws and no `onRuleError` handler was given.
   */
  selectGateway(payment: Payment, availableGateways: readonly GatewayType[], context: RoutingRequestContext = {}): GatewaySelection {
    const gateways = distinctGateways(availableGateways);
    if (gateways.length === 0) throw new NoGatewayAvailableError(payment.id);
    const now = this.clock.now();
    const scored = this.scoring.score(payment, gateways, (gateway) => this.metricsCollector.getRoutingSignals(gateway));
    const best = this.scoring.best(scored);

    const ruled = this.rules.isEmpty
      ? undefined
      : this.rules.decide(payment, gateways, { ...context, now }, () => new GatewayMetricsView(this.metricsCollector, gateways));
    const ruledGateway = ruled === undefined ? undefined : scored[ruled.index];
    let chosen: ScoredGateway;
    let strategy: RoutingStrategy;
    if (ruledGateway !== undefined) {
      chosen = ruledGateway;
      strategy = 'RULE';
    } else if (this.exploration && scored.length > 1 && this.normalised.successWeight > 0) {
      chosen = this.scoring.sample(scored) ?? best;
      strategy = chosen === best ? 'BEST_SCORE' : 'EXPLORATION';
    } else {
      chosen = best;
      strategy = 'BEST_SCORE';
    }

    const alternatives: GatewayScore[] = [];
    for (const gateway of scored) if (gateway !== chosen) alternatives.push(gateway.score);
    // Stable: equal scores keep the caller's order.
    alternatives.sort((x, y) => y.score - x.score);
    const selected = chosen.score;
    return new ExplainedGatewaySelection(
      selected.gateway,
      selected.score,
      strategy,
      ruled?.rule.name ?? null,
      selected,
      alternatives,
      now,
      best.score,
      ruled?.rule.description,
    );
  }
}

/**
 * The gateways of `availableGateways`, each once, in the caller's order.
 * @throws InvalidGatewayArgumentError `ROUTING.INVALID_GATEWAYS` when it is not an array of non-empty names.
 */
function distinctGateways(availableGateways: readonly GatewayType[]): readonly GatewayType[] {
  if (!Array.isArray(availableGateways)) {
    throw new InvalidGatewayArgumentError(
      'ROUTING.INVALID_GATEWAYS',
      'availableGateways',
      'availableGateways must be an array of gateway names such as ["STRIPE", "ADYEN"].',
    );
  }
  const invalid = availableGateways.findIndex((gateway) => typeof gateway !== 'string' || gateway.length === 0);
  if (invalid >= 0) {
    throw new InvalidGatewayArgumentError(
      'ROUTING.INVALID_GATEWAYS',
      `availableGateways.${invalid}`,
      'every available gateway must be a non-empty name such as "STRIPE".',
    );
  }
  const repeats = availableGateways.some((gateway, i) => availableGateways.indexOf(gateway) !== i);
  return repeats ? [...new Set(availableGateways)] : availableGateways;
}
