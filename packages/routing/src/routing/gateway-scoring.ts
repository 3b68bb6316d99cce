import type { GatewayType, Payment } from '@aegispay/domain';
import type { RoutingSignals } from '../metrics/gateway-metrics';
import type { BetaSampler } from './beta-sampler';
import { estimateFee, type GatewayCostModel } from './cost-model';
import type { FactorScore, GatewayScore } from './gateway-selection';
import type { RoutingWeights } from './intelligent-routing-engine.options';

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

/** A gateway scored for one payment, with the Beta posterior of its approval rate. */
export interface ScoredGateway {
  readonly score: GatewayScore;
  /** Approvals of the posterior: the recency-weighted evidence plus the prior's share. */
  readonly alpha: number;
  /** Misses of the posterior. */
  readonly beta: number;
}

/** What one decision knows of one gateway before the prior and the others' averages fill the gaps. */
interface Observation {
  readonly gateway: GatewayType;
  readonly approvals: number;
  readonly misses: number;
  /** The p95 latency in ms, `null` when unknown. */
  readonly p95: number | null;
  /** `1 − p95 / budget`, floored at 0 (0 when the p95 is unknown). */
  readonly latency: number;
  /** How far the p95 is trusted, 0–1 (0 when unknown). */
  readonly latencyTrust: number;
  /** The expected fee as a share of the amount, `null` when unknown. */
  readonly costRatio: number | null;
}

/**
 * @internal Scores gateways for a payment —
 * `successWeight × approval + latencyWeight × (1 − p95/latencyBudgetMs) + costWeight × (1 − fee/amount)` —
 * and draws among them by optimistic Thompson sampling.
 */
export class GatewayScoring {
  constructor(
    private readonly weights: RoutingWeights,
    private readonly latencyBudgetMs: number,
    private readonly costs: ReadonlyMap<string, GatewayCostModel>,
    private readonly sampler: BetaSampler,
  ) {}

  /**
   * Every gateway's expected score, in the order given. `signalsOf` reads a gateway's evidence
   * (`undefined` for a gateway never recorded).
   */
  score(payment: Payment, gateways: readonly GatewayType[], signalsOf: (gateway: GatewayType) => RoutingSignals | undefined): ScoredGateway[] {
    const observations: Observation[] = [];
    for (const gateway of gateways) observations.push(this.observe(gateway, signalsOf(gateway), payment));
    let priorMean = 0;
    let trustSum = 0;
    let latencySum = 0;
    let costCount = 0;
    let costSum = 0;
    for (const { approvals, misses, p95, latency, latencyTrust: trust, costRatio } of observations) {
      if (approvals + misses >= PRIOR_SOURCE_EVIDENCE) priorMean = Math.max(priorMean, approvals / (approvals + misses));
      if (p95 !== null) {
        latencySum += trust * latency;
        trustSum += trust;
      }
      if (costRatio !== null) {
        costSum += costValue(costRatio);
        costCount += 1;
      }
    }
    const centre = priorMean === 0 ? 0.5 : Math.min(MAX_PRIOR_MEAN, Math.max(MIN_PRIOR_MEAN, priorMean));
    const priorApprovals = PRIOR_STRENGTH * centre;
    const priorMisses = PRIOR_STRENGTH - priorApprovals;
    // A factor a gateway lacks is the (trust-weighted) average of the others: neutral between them.
    const latencyFill = trustSum === 0 ? 1 : latencySum / trustSum;
    const costFill = costCount === 0 ? 1 : costSum / costCount;
    const scored: ScoredGateway[] = [];
    for (const observed of observations) {
      const alpha = observed.approvals + priorApprovals;
      const beta = observed.misses + priorMisses;
      const trust = observed.latencyTrust;
      const latency = trust * observed.latency + (1 - trust) * latencyFill;
      const cost = observed.costRatio === null ? costFill : costValue(observed.costRatio);
      scored.push({ alpha, beta, score: this.gatewayScore(observed, alpha, beta, latency, cost) });
    }
    return scored;
  }

  /** The gateway of best expected score (the first of equals) among `scored`, which is not empty. */
  best(scored: readonly ScoredGateway[]): ScoredGateway {
    return scored.reduce((best, gateway) => (gateway.score.score > best.score.score ? gateway : best));
  }

  /**
   * Optimistic Thompson sampling: each gateway's approval term is drawn from its posterior, never
   * below its mean, and the best draw wins (`undefined` only when `scored` is empty).
   */
  sample(scored: readonly ScoredGateway[]): ScoredGateway | undefined {
    const { successWeight } = this.weights;
    let chosen: ScoredGateway | undefined;
    let top = Number.NEGATIVE_INFINITY;
    for (const gateway of scored) {
      const { alpha, beta } = gateway;
      const mean = alpha / (alpha + beta);
      const draw = this.sampler.beta(alpha, beta);
      const sampled = gateway.score.score + successWeight * (draw > mean ? draw - mean : 0);
      if (sampled > top) {
        top = sampled;
        chosen = gateway;
      }
    }
    return chosen;
  }

  private observe(gateway: GatewayType, signals: RoutingSignals | undefined, payment: Payment): Observation {
    const approvals = signals?.approvals ?? 0;
    const misses = signals?.misses ?? 0;
    const p95 = signals?.p95Latency ?? null;
    const model = this.costs.get(gateway);
    const costRatio = model !== undefined ? estimateFee(model, payment.amount, payment.currency) / payment.amount : (signals?.costRatio ?? null);
    if (p95 === null) return { gateway, approvals, misses, p95, latency: 0, latencyTrust: 0, costRatio };
    // A tail percentile from a handful of outcomes is mostly noise (one timeout among 19 outcomes
    // is the p95), and so is one from outcomes the gateway stopped getting: it counts in
    // proportion to both the window volume and the recent evidence behind it.
    const volume = signals?.volume ?? 0;
    const recent = approvals + misses;
    const latencyTrust = (volume / (volume + LATENCY_TRUST_EVIDENCE)) * (recent / (recent + LATENCY_TRUST_EVIDENCE));
    const latency = p95 >= this.latencyBudgetMs ? 0 : 1 - p95 / this.latencyBudgetMs;
    return { gateway, approvals, misses, p95, latency, latencyTrust, costRatio };
  }

  private gatewayScore(observed: Observation, alpha: number, beta: number, latency: number, cost: number): GatewayScore {
    const { successWeight, latencyWeight, costWeight } = this.weights;
    const approval = alpha / (alpha + beta);
    return {
      gateway: observed.gateway,
      score: successWeight * approval + latencyWeight * latency + costWeight * cost,
      factors: {
        success: factor(approval, successWeight, approval),
        latency: factor(latency, latencyWeight, observed.p95),
        cost: factor(cost, costWeight, observed.costRatio),
      },
      evidence: alpha + beta - PRIOR_STRENGTH,
    };
  }
}

/** The cost factor of a fee ratio: 1 for free, 0 for a fee of the whole amount or more. */
function costValue(ratio: number): number {
  return ratio >= 1 ? 0 : 1 - ratio;
}

function factor(value: number, weight: number, input: number | null): FactorScore {
  return { value, weight, contribution: value * weight, input };
}
