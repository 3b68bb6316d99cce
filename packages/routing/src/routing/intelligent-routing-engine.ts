import { CryptoRandom, SystemClock, type Clock, type GatewayType, type Payment, type Random } from '@aegispay/domain';
import { NoGatewayAvailableError, RoutingConfigurationError, RoutingRuleError } from '../errors/routing.errors';
import type { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';
import { BetaSampler } from './beta-sampler';
import { estimateFee, validateCostModel, type GatewayCostModel } from './cost-model';
import { GatewayMetricsView } from './gateway-metrics-view';
import { ExplainedGatewaySelection, type FactorScore, type GatewayScore, type GatewaySelection, type RoutingStrategy } from './gateway-selection';
import type { RoutingRuleContext, RoutingRequestContext, RoutingRule } from './routing-rule';

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

/** Options of {@link IntelligentRoutingEngine}. */
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

/**
 * Pseudo-outcomes of the approval prior. The prior is centred on the best proven approval rate
 * among the candidates (0.5 when none is proven), so a new or long-idle gateway is assumed about
 * as good as the best one, with the weight of two outcomes: one unlucky first outcome does not
 * bury it, and a few real ones outweigh the assumption.
 */
const PRIOR_STRENGTH = 2;
/** Evidence a gateway needs for its rate to centre the prior. */
const PRIOR_SOURCE_EVIDENCE = 10;
const MIN_PRIOR_MEAN = 0.01;
const MAX_PRIOR_MEAN = 0.99;
/** Outcomes (in the window, and recent) at which a gateway's p95 latency counts for half. */
const LATENCY_TRUST_EVIDENCE = 100;

// Read once: some loaders turn every access to an imported binding into a getter call.
const feeOf = estimateFee;

/** Default of {@link IntelligentRoutingEngineOptions.latencyBudgetMs}. */
export const DEFAULT_LATENCY_BUDGET_MS = 30_000;

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
  private readonly rules: RoutingRule[] = [];
  private readonly normalised: RoutingWeights;
  private readonly costs = new Map<string, GatewayCostModel>();
  private readonly latencyBudgetMs: number;
  private readonly exploration: boolean;
  private readonly clock: Clock;
  private readonly sampler: BetaSampler;
  private readonly onRuleError: ((error: RoutingRuleError) => void) | undefined;

  // Per-call scratch, grown to the largest gateway list seen (keeps the hot path allocation-light).
  private alpha = new Float64Array(8);
  private betaParam = new Float64Array(8);
  private latencyValue = new Float64Array(8);
  private latencyInput = new Float64Array(8);
  private latencyTrust = new Float64Array(8);
  private costValue = new Float64Array(8);
  private costInput = new Float64Array(8);
  private expected = new Float64Array(8);

  /** @throws RoutingConfigurationError for invalid weights, cost models or options. */
  constructor(
    private readonly metricsCollector: GatewayMetricsCollector,
    options: IntelligentRoutingEngineOptions = {},
  ) {
    this.normalised = normaliseWeights(options);
    for (const [gateway, model] of Object.entries(options.costs ?? {})) {
      validateCostModel(model, `costs.${gateway}`);
      this.costs.set(gateway, model);
    }
    const budget = options.latencyBudgetMs ?? DEFAULT_LATENCY_BUDGET_MS;
    if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) {
      throw new RoutingConfigurationError('ROUTING.INVALID_OPTION', 'latencyBudgetMs', `latencyBudgetMs must be a number of ms greater than 0, got ${String(budget)}.`);
    }
    this.latencyBudgetMs = budget;
    if (options.exploration !== undefined && typeof options.exploration !== 'boolean') {
      throw new RoutingConfigurationError('ROUTING.INVALID_OPTION', 'exploration', 'exploration must be true or false.');
    }
    this.exploration = options.exploration ?? true;
    this.clock = port(options.clock, 'clock', ['now']) ?? new SystemClock();
    this.sampler = new BetaSampler(port(options.random, 'random', ['next']) ?? new CryptoRandom());
    if (options.onRuleError !== undefined && typeof options.onRuleError !== 'function') {
      throw new RoutingConfigurationError('ROUTING.INVALID_OPTION', 'onRuleError', 'onRuleError must be a function (error) => void when given.');
    }
    this.onRuleError = options.onRuleError;
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
    validateRule(rule);
    if (this.rules.some((existing) => existing.name === rule.name)) {
      throw new RoutingConfigurationError(
        'ROUTING.DUPLICATE_RULE',
        'name',
        `A routing rule named "${rule.name}" is already registered; unregister it first to replace it.`,
      );
    }
    let index = this.rules.length;
    while (index > 0 && (this.rules[index - 1] as RoutingRule).priority < rule.priority) index -= 1;
    this.rules.splice(index, 0, rule);
  }

  /** Removes the rule named `name`. Returns whether one was registered. */
  unregisterRule(name: string): boolean {
    const index = this.rules.findIndex((rule) => rule.name === name);
    if (index < 0) return false;
    this.rules.splice(index, 1);
    return true;
  }

  /** The registered rules, in the order they are tried. */
  getRules(): readonly RoutingRule[] {
    return [...this.rules];
  }

  /**
   * Chooses the gateway to try first for `payment` among `availableGateways` (for example those
   * whose circuit breaker is closed), and ranks the others for failover.
   *
   * @param context what the caller knows beyond the payment (latency sensitivity, attributes for custom rules).
   * @returns the decision; `alternatives` excludes the selected gateway and is ranked best first.
   * @throws NoGatewayAvailableError when `availableGateways` is empty.
   * @throws RoutingConfigurationError `ROUTING.INVALID_GATEWAYS` when it is not an array of non-empty names.
   * @throws RoutingRuleError when a rule throws and no `onRuleError` handler was given.
   */
  selectGateway(payment: Payment, availableGateways: readonly GatewayType[], context: RoutingRequestContext = {}): GatewaySelection {
    if (!Array.isArray(availableGateways)) {
      throw new RoutingConfigurationError('ROUTING.INVALID_GATEWAYS', 'availableGateways', 'availableGateways must be an array of gateway names such as ["STRIPE", "ADYEN"].');
    }
    const gateways = distinct(availableGateways);
    const count = gateways.length;
    if (count === 0) throw new NoGatewayAvailableError(payment.id);
    this.reserve(count);
    const now = this.clock.now();
    const { successWeight, latencyWeight, costWeight } = this.normalised;
    const { alpha, betaParam, latencyValue, latencyInput, latencyTrust, costValue, costInput, expected } = this;

    let priorMean = 0;
    let knownLatency = 0;
    let latencySum = 0;
    let knownCost = 0;
    let costSum = 0;
    const amount = payment.amount;
    const currency = payment.currency;
    for (let i = 0; i < count; i++) {
      const gateway = gateways[i] as GatewayType;
      if (typeof gateway !== 'string' || gateway.length === 0) {
        throw new RoutingConfigurationError('ROUTING.INVALID_GATEWAYS', `availableGateways.${i}`, 'every available gateway must be a non-empty name such as "STRIPE".');
      }
      const signals = this.metricsCollector.getRoutingSignals(gateway);
      const approvals = signals?.approvals ?? 0;
      const misses = signals?.misses ?? 0;
      alpha[i] = approvals;
      betaParam[i] = misses;
      if (approvals + misses >= PRIOR_SOURCE_EVIDENCE) {
        const rate = approvals / (approvals + misses);
        if (rate > priorMean) priorMean = rate;
      }
      const p95 = signals?.p95Latency ?? null;
      if (p95 === null) {
        latencyInput[i] = Number.NaN;
        latencyTrust[i] = 0;
      } else {
        latencyInput[i] = p95;
        latencyValue[i] = p95 >= this.latencyBudgetMs ? 0 : 1 - p95 / this.latencyBudgetMs;
        // A tail percentile from a handful of outcomes is mostly noise (one timeout among 19
        // outcomes is the p95), and so is one from outcomes the gateway stopped getting: it counts
        // in proportion to both the window volume and the recent evidence behind it.
        const volume = signals?.volume ?? 0;
        const recent = approvals + misses;
        const trust = (volume / (volume + LATENCY_TRUST_EVIDENCE)) * (recent / (recent + LATENCY_TRUST_EVIDENCE));
        latencyTrust[i] = trust;
        latencySum += trust * (latencyValue[i] as number);
        knownLatency += trust;
      }
      const model = this.costs.get(gateway);
      const ratio = model !== undefined ? feeOf(model, amount, currency) / amount : (signals?.costRatio ?? null);
      if (ratio === null) {
        costInput[i] = Number.NaN;
      } else {
        costInput[i] = ratio;
        costValue[i] = ratio >= 1 ? 0 : 1 - ratio;
        costSum += costValue[i] as number;
        knownCost += 1;
      }
    }
    const centre = priorMean === 0 ? 0.5 : Math.min(MAX_PRIOR_MEAN, Math.max(MIN_PRIOR_MEAN, priorMean));
    const priorApprovals = PRIOR_STRENGTH * centre;
    const priorMisses = PRIOR_STRENGTH - priorApprovals;
    const latencyFill = knownLatency === 0 ? 1 : latencySum / knownLatency;
    const costFill = knownCost === 0 ? 1 : costSum / knownCost;
    let best = 0;
    for (let i = 0; i < count; i++) {
      const trust = latencyTrust[i] as number;
      latencyValue[i] = trust * (latencyValue[i] as number) + (1 - trust) * latencyFill;
      if (Number.isNaN(costInput[i] as number)) costValue[i] = costFill;
      alpha[i] = (alpha[i] as number) + priorApprovals;
      betaParam[i] = (betaParam[i] as number) + priorMisses;
      const mean = (alpha[i] as number) / ((alpha[i] as number) + (betaParam[i] as number));
      expected[i] = successWeight * mean + latencyWeight * (latencyValue[i] as number) + costWeight * (costValue[i] as number);
      if ((expected[i] as number) > (expected[best] as number)) best = i;
    }

    let chosen = -1;
    let decidingRule: RoutingRule | undefined;
    if (this.rules.length > 0) {
      const decided = this.applyRules(payment, gateways, { ...context, now });
      if (decided !== undefined) {
        chosen = decided.index;
        decidingRule = decided.rule;
      }
    }
    let strategy: RoutingStrategy;
    if (chosen >= 0) {
      strategy = 'RULE';
    } else if (this.exploration && count > 1 && successWeight > 0) {
      let top = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < count; i++) {
        const a = alpha[i] as number;
        const b = betaParam[i] as number;
        const mean = a / (a + b);
        const draw = this.sampler.beta(a, b);
        const sampled = (expected[i] as number) + successWeight * (draw > mean ? draw - mean : 0);
        if (sampled > top) {
          top = sampled;
          chosen = i;
        }
      }
      strategy = chosen === best ? 'BEST_SCORE' : 'EXPLORATION';
    } else {
      chosen = best;
      strategy = 'BEST_SCORE';
    }

    const scores: GatewayScore[] = new Array<GatewayScore>(count);
    for (let i = 0; i < count; i++) scores[i] = this.scoreOf(gateways[i] as GatewayType, i);
    const alternatives: GatewayScore[] = [];
    for (let i = 0; i < count; i++) if (i !== chosen) alternatives.push(scores[i] as GatewayScore);
    // Stable: equal scores keep the caller's order.
    alternatives.sort((x, y) => y.score - x.score);
    const selected = scores[chosen] as GatewayScore;
    return new ExplainedGatewaySelection(
      selected.gateway,
      selected.score,
      strategy,
      decidingRule?.name ?? null,
      selected,
      alternatives,
      now,
      scores[best] as GatewayScore,
      decidingRule?.description,
    );
  }

  private applyRules(payment: Payment, gateways: readonly GatewayType[], context: RoutingRuleContext): { index: number; rule: RoutingRule } | undefined {
    let view: GatewayMetricsView | undefined;
    for (const rule of this.rules) {
      let applies: boolean;
      try {
        applies = rule.condition(payment, context) === true;
      } catch (error) {
        this.ruleFailed(new RoutingRuleError(rule.name, 'condition', error));
        continue;
      }
      if (!applies) continue;
      view ??= new GatewayMetricsView(this.metricsCollector, gateways);
      let choice: GatewayType | null | undefined;
      try {
        choice = rule.selectGateway(payment, gateways, view);
      } catch (error) {
        this.ruleFailed(new RoutingRuleError(rule.name, 'selectGateway', error));
        continue;
      }
      if (choice === null || choice === undefined) continue;
      const index = gateways.indexOf(choice);
      if (index >= 0) return { index, rule };
    }
    return undefined;
  }

  private ruleFailed(error: RoutingRuleError): void {
    if (this.onRuleError === undefined) throw error;
    this.onRuleError(error);
  }

  private scoreOf(gateway: GatewayType, i: number): GatewayScore {
    const { successWeight, latencyWeight, costWeight } = this.normalised;
    const a = this.alpha[i] as number;
    const b = this.betaParam[i] as number;
    const mean = a / (a + b);
    const latency = this.latencyValue[i] as number;
    const cost = this.costValue[i] as number;
    const latencyInput = this.latencyInput[i] as number;
    const costInput = this.costInput[i] as number;
    return {
      gateway,
      score: this.expected[i] as number,
      factors: {
        success: factor(mean, successWeight, mean),
        latency: factor(latency, latencyWeight, Number.isNaN(latencyInput) ? null : latencyInput),
        cost: factor(cost, costWeight, Number.isNaN(costInput) ? null : costInput),
      },
      evidence: a + b - PRIOR_STRENGTH,
    };
  }

  private reserve(count: number): void {
    if (this.alpha.length >= count) return;
    const size = Math.max(count, this.alpha.length * 2);
    this.alpha = new Float64Array(size);
    this.betaParam = new Float64Array(size);
    this.latencyValue = new Float64Array(size);
    this.latencyInput = new Float64Array(size);
    this.latencyTrust = new Float64Array(size);
    this.costValue = new Float64Array(size);
    this.costInput = new Float64Array(size);
    this.expected = new Float64Array(size);
  }
}

function factor(value: number, weight: number, input: number | null): FactorScore {
  return { value, weight, contribution: value * weight, input };
}

/** The list itself when it has no duplicates (the common case), else a copy without them. */
function distinct(gateways: readonly GatewayType[]): readonly GatewayType[] {
  for (let i = 1; i < gateways.length; i++) {
    if (gateways.lastIndexOf(gateways[i] as GatewayType, i - 1) >= 0) return [...new Set(gateways)];
  }
  return gateways;
}

function normaliseWeights(options: Partial<RoutingWeights>): RoutingWeights {
  const given = options.successWeight !== undefined || options.latencyWeight !== undefined || options.costWeight !== undefined;
  // When some weights are given, the missing ones are 0: { successWeight: 1 } means "approval only".
  const raw = given
    ? { successWeight: options.successWeight ?? 0, latencyWeight: options.latencyWeight ?? 0, costWeight: options.costWeight ?? 0 }
    : DEFAULT_ROUTING_WEIGHTS;
  for (const [field, value] of Object.entries(raw)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RoutingConfigurationError('ROUTING.INVALID_WEIGHTS', field, `${field} must be a finite number ≥ 0, got ${String(value)}.`);
    }
  }
  const sum = raw.successWeight + raw.latencyWeight + raw.costWeight;
  if (sum === 0) {
    throw new RoutingConfigurationError(
      'ROUTING.INVALID_WEIGHTS',
      'successWeight',
      'At least one of successWeight, latencyWeight and costWeight must be greater than 0.',
    );
  }
  return Object.freeze({
    successWeight: raw.successWeight / sum,
    latencyWeight: raw.latencyWeight / sum,
    costWeight: raw.costWeight / sum,
  });
}

function validateRule(rule: RoutingRule): void {
  if (typeof rule !== 'object' || rule === null) {
    throw new RoutingConfigurationError('ROUTING.INVALID_RULE', '', 'A routing rule must be an object with name, priority, condition and selectGateway.');
  }
  if (typeof rule.name !== 'string' || rule.name.length === 0 || rule.name.length > 100) {
    throw new RoutingConfigurationError('ROUTING.INVALID_RULE', 'name', 'A routing rule needs a name of 1–100 characters.');
  }
  if (typeof rule.priority !== 'number' || !Number.isFinite(rule.priority)) {
    throw new RoutingConfigurationError('ROUTING.INVALID_RULE', 'priority', `Routing rule "${rule.name}" needs a finite numeric priority.`);
  }
  if (typeof rule.condition !== 'function' || typeof rule.selectGateway !== 'function') {
    throw new RoutingConfigurationError(
      'ROUTING.INVALID_RULE',
      typeof rule.condition !== 'function' ? 'condition' : 'selectGateway',
      `Routing rule "${rule.name}" needs condition(payment, context) and selectGateway(payment, availableGateways, metrics) functions.`,
    );
  }
}

/** A time or randomness port given as an option, checked for the methods the engine calls. */
function port<P>(value: P | undefined, field: string, methods: readonly string[]): P | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || methods.some((method) => typeof (value as Record<string, unknown>)[method] !== 'function')) {
    throw new RoutingConfigurationError('ROUTING.INVALID_OPTION', field, `${field} must be an object with ${methods.map((m) => `${m}()`).join(', ')}.`);
  }
  return value;
}
