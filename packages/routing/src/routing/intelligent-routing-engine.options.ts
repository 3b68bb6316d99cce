import { CryptoRandom, SystemClock, type Clock, type Random } from '@aegispay/domain';
import { routingOptionChecks, type RoutingRuleError } from '../errors/routing.errors';
import { checkCostModels, type GatewayCostModel } from './cost-model';

/** The three scoring weights. Any non-negative numbers, not all zero; the engine normalises them to sum to 1. */
export interface RoutingWeights {
  /** Weight of the approval estimate. */
  readonly successWeight: number;
  /** Weight of the latency factor (p95 against `latencyBudgetMs`). */
  readonly latencyWeight: number;
  /** Weight of the cost factor (expected fee as a share of the amount). */
  readonly costWeight: number;
}

/** The weights used when none is given, as in the spec: 0.5 / 0.3 / 0.2. */
export const DEFAULT_ROUTING_WEIGHTS: RoutingWeights = Object.freeze({ successWeight: 0.5, latencyWeight: 0.3, costWeight: 0.2 });

/** Default of {@link IntelligentRoutingEngineOptions.latencyBudgetMs}. */
export const DEFAULT_LATENCY_BUDGET_MS = 30_000;

/** Options of `IntelligentRoutingEngine`. */
export interface IntelligentRoutingEngineOptions extends Partial<RoutingWeights> {
  /**
   * Fee models per gateway, used for the cost factor and by cost-aware rules. A gateway without
   * a model is scored on the cost ratio the collector observed, else on the average of the others.
   * Defaults to none.
   */
  readonly costs?: Readonly<Record<string, GatewayCostModel>>;
  /**
   * The p95 latency at which the latency factor reaches 0 (it is `1 − p95 / latencyBudgetMs`).
   * The default, 30 000 ms (a common gateway timeout), makes 300 ms of p95 worth about 0.6 points
   * of approval rate at the default weights: latency separates gateways of similar approval
   * rates and never outweighs a real approval gap. Defaults to 30 000.
   */
  readonly latencyBudgetMs?: number;
  /**
   * Thompson sampling over the approval estimates: new, recovering and close gateways get a share
   * of traffic in proportion to the chance that they are the best. When false the engine always
   * takes the best expected score (deterministic, but a gateway with no data then gets traffic
   * only from rules and failover). Defaults to true.
   */
  readonly exploration?: boolean;
  /** Time source for decisions. Defaults to the system clock. */
  readonly clock?: Clock;
  /** Randomness for exploration. Defaults to a cryptographic source; pass a seeded one to replay decisions. */
  readonly random?: Random;
  /**
   * Called when a rule throws; the rule is then skipped. Without it, the error is thrown from
   * `selectGateway` as a {@link RoutingRuleError}. Defaults to none.
   */
  readonly onRuleError?: (error: RoutingRuleError) => void;
}

/** @internal The options of an engine, checked, with their defaults applied. */
export interface ResolvedEngineOptions {
  /** Normalised to sum to 1. */
  readonly weights: RoutingWeights;
  readonly costs: ReadonlyMap<string, GatewayCostModel>;
  readonly latencyBudgetMs: number;
  readonly exploration: boolean;
  readonly clock: Clock;
  readonly random: Random;
  readonly onRuleError: ((error: RoutingRuleError) => void) | undefined;
}

const OWNER = 'IntelligentRoutingEngine';
const checks = routingOptionChecks('ROUTING.INVALID_OPTION', OWNER);

/**
 * @internal Checks the options of an engine and applies the defaults.
 * @throws RoutingConfigurationError `ROUTING.INVALID_WEIGHTS`, `ROUTING.INVALID_COST_MODEL` or
 *   `ROUTING.INVALID_OPTION`, naming the option.
 */
export function resolveEngineOptions(options: IntelligentRoutingEngineOptions): ResolvedEngineOptions {
  return {
    weights: normaliseWeights(options),
    costs: checkCostModels(options.costs, OWNER),
    latencyBudgetMs: checks.number('latencyBudgetMs', options.latencyBudgetMs, DEFAULT_LATENCY_BUDGET_MS, { above: 0 }),
    exploration: checks.boolean('exploration', options.exploration, true),
    clock: checks.port<Clock>('clock', options.clock, () => new SystemClock(), ['now']),
    random: checks.port<Random>('random', options.random, () => new CryptoRandom(), ['next']),
    onRuleError: checks.optionalFunction('onRuleError', options.onRuleError),
  };
}

const weightChecks = routingOptionChecks('ROUTING.INVALID_WEIGHTS', OWNER);

function normaliseWeights(options: Partial<RoutingWeights>): RoutingWeights {
  const given = options.successWeight !== undefined || options.latencyWeight !== undefined || options.costWeight !== undefined;
  // When some weights are given, the missing ones are 0: { successWeight: 1 } means "approval only".
  const defaults = given ? { successWeight: 0, latencyWeight: 0, costWeight: 0 } : DEFAULT_ROUTING_WEIGHTS;
  const successWeight = weightChecks.number('successWeight', options.successWeight, defaults.successWeight, { min: 0 });
  const latencyWeight = weightChecks.number('latencyWeight', options.latencyWeight, defaults.latencyWeight, { min: 0 });
  const costWeight = weightChecks.number('costWeight', options.costWeight, defaults.costWeight, { min: 0 });
  const sum = successWeight + latencyWeight + costWeight;
  if (sum === 0) {
    throw weightChecks.invalid('successWeight', 'must be above 0 when latencyWeight and costWeight are 0 (at least one weight must be)', successWeight);
  }
  return Object.freeze({ successWeight: successWeight / sum, latencyWeight: latencyWeight / sum, costWeight: costWeight / sum });
}
