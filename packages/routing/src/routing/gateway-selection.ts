import type { GatewayType } from '@aegispay/domain';

/** One factor of a gateway's score. */
export interface FactorScore {
  /** The factor on a 0–1 scale (1 is best). */
  readonly value: number;
  /** The factor's normalised weight. */
  readonly weight: number;
  /** `value × weight`: what the factor adds to the score. */
  readonly contribution: number;
  /**
   * The measurement behind the value: the approval estimate (0–1) for `success`, the p95
   * latency in ms for `latency`, the expected fee as a share of the amount for `cost`; `null`
   * when unknown (the value is then the average of the gateways where it is known).
   */
  readonly input: number | null;
}

/** How a gateway scored for a payment. */
export interface GatewayScore {
  readonly gateway: GatewayType;
  /** Expected weighted score, 0–1: the sum of the factors' contributions. */
  readonly score: number;
  readonly factors: {
    readonly success: FactorScore;
    readonly latency: FactorScore;
    readonly cost: FactorScore;
  };
  /** Recency-weighted outcomes behind the approval estimate (0 for a gateway never tried: cold start). */
  readonly evidence: number;
}

/**
 * How the gateway was chosen:
 * - `RULE`: a routing rule decided;
 * - `BEST_SCORE`: the gateway with the best expected score;
 * - `EXPLORATION`: another gateway, drawn by Thompson sampling because its approval estimate is
 *   uncertain enough that it may be the best (cold start, recovery, close competition).
 */
export type RoutingStrategy = 'RULE' | 'BEST_SCORE' | 'EXPLORATION';

/**
 * The answer of `IntelligentRoutingEngine.selectGateway`: the gateway to try first, the others
 * ranked for failover, and the scores behind the choice. (A routing strategy hook's answer, in
 * `@aegispay/hooks`, is a `RoutingDecision`: one gateway with a confidence.)
 */
export interface GatewaySelection {
  /** The gateway to try first. */
  readonly selectedGateway: GatewayType;
  /** Expected score of the selected gateway, 0–1. */
  readonly score: number;
  /** A sentence a person can read: why this gateway. */
  readonly reason: string;
  readonly strategy: RoutingStrategy;
  /** Name of the rule that decided, `null` when the scoring decided. */
  readonly rule: string | null;
  /** The selected gateway's score and factors. */
  readonly selected: GatewayScore;
  /**
   * The other available gateways, best expected score first, **excluding** the selected one:
   * fail over down this list, in order.
   */
  readonly alternatives: readonly GatewayScore[];
  /** Clock time of the decision (epoch ms). */
  readonly decidedAt: number;
}

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

function describeFactors(score: GatewayScore): string {
  const { success, latency, cost } = score.factors;
  const parts: string[] = [];
  if (success.weight > 0) {
    const basis = score.evidence > 0 ? `from ${Math.round(score.evidence)} recent outcomes` : 'no outcomes yet';
    parts.push(`approval estimate ${percent(success.value)} (${basis}) ×${success.weight.toFixed(2)} = ${success.contribution.toFixed(3)}`);
  }
  if (latency.weight > 0) {
    const basis = latency.input === null ? 'p95 latency unknown' : `p95 latency ${Math.round(latency.input)} ms`;
    parts.push(`${basis} ×${latency.weight.toFixed(2)} = ${latency.contribution.toFixed(3)}`);
  }
  if (cost.weight > 0) {
    const basis = cost.input === null ? 'fee unknown' : `fee ${percent(cost.input)} of the amount`;
    parts.push(`${basis} ×${cost.weight.toFixed(2)} = ${cost.contribution.toFixed(3)}`);
  }
  return parts.join(', ');
}

/**
 * A selection whose `reason` is written only when someone reads it (most selections are never
 * explained): writing it costs more than the decision itself, ×2.6 the time of `selectGateway`
 * with 4 gateways (2.5 against 0.96 µs, the call `npm run bench -- routing-quality` times).
 */
export class ExplainedGatewaySelection implements GatewaySelection {
  private explanation: string | undefined;

  constructor(
    readonly selectedGateway: GatewayType,
    readonly score: number,
    readonly strategy: RoutingStrategy,
    readonly rule: string | null,
    readonly selected: GatewayScore,
    readonly alternatives: readonly GatewayScore[],
    readonly decidedAt: number,
    private readonly best: GatewayScore,
    private readonly ruleDescription: string | undefined,
  ) {}

  get reason(): string {
    this.explanation ??= this.explain();
    return this.explanation;
  }

  /** A plain object with every field, `reason` included. */
  toJSON(): GatewaySelection {
    return {
      selectedGateway: this.selectedGateway,
      score: this.score,
      reason: this.reason,
      strategy: this.strategy,
      rule: this.rule,
      selected: this.selected,
      alternatives: this.alternatives,
      decidedAt: this.decidedAt,
    };
  }

  private explain(): string {
    const next = this.alternatives[0];
    const fallback = next === undefined ? 'no other gateway is available' : `next by score: ${next.gateway} (${next.score.toFixed(3)})`;
    switch (this.strategy) {
      case 'RULE':
        return (
          `Rule "${this.rule ?? ''}" chose ${this.selectedGateway}` +
          (this.ruleDescription === undefined ? '' : ` (${this.ruleDescription})`) +
          `; its score is ${this.score.toFixed(3)}: ${describeFactors(this.selected)}; ${fallback}.`
        );
      case 'BEST_SCORE':
        return `${this.selectedGateway} has the best score, ${this.score.toFixed(3)}: ${describeFactors(this.selected)}; ${fallback}.`;
      case 'EXPLORATION': {
        const why =
          this.selected.evidence > 0
            ? 'its approval estimate is still uncertain enough that it may be the best'
            : 'it has no outcomes yet (cold start)';
        return (
          `Exploring ${this.selectedGateway} (score ${this.score.toFixed(3)}: ${describeFactors(this.selected)}): ${why}, ` +
          `so Thompson sampling gives it a share of traffic; ${this.best.gateway} has the best score, ${this.best.score.toFixed(3)}.`
        );
      }
    }
  }
}
