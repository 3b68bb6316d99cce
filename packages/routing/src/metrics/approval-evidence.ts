/**
 * Options of the approval estimator the collector keeps per gateway for the routing engine.
 * Lengths are counted in outcomes recorded by the collector (all gateways together), so the
 * estimator adapts to traffic volume: a quiet merchant keeps evidence for longer in wall time.
 */
export interface ApprovalEstimatorOptions {
  /** Half-life of a gateway's evidence, in outcomes recorded by the collector. Defaults to 10 000. */
  readonly halfLife?: number;
  /**
   * Outcomes the collector may record without one from this gateway before the gateway counts as
   * idle. Defaults to 200.
   */
  readonly idleAfter?: number;
  /**
   * Extra half-life of an idle gateway's evidence, in outcomes: what we learned about a gateway
   * we stopped using fades faster, so it is tried again (a gateway that was down gets traffic
   * again after it recovers). Defaults to 2 000.
   */
  readonly idleHalfLife?: number;
  /**
   * Forget a gateway's history at once when its latest outcomes contradict it (an outage, a
   * recovery, a drift). Defaults to true.
   */
  readonly changeDetection?: boolean;
}

/** Defaults of {@link ApprovalEstimatorOptions}. */
export const DEFAULT_APPROVAL_ESTIMATOR_OPTIONS = Object.freeze({
  halfLife: 10_000,
  idleAfter: 200,
  idleHalfLife: 2_000,
  changeDetection: true,
});

/** Half-lives (in the gateway's own outcomes) of the two recent views checked against the history. */
const FAST_HALF_LIFE = 30;
const SLOW_HALF_LIFE = 300;
const FAST_DECAY = Math.pow(0.5, 1 / FAST_HALF_LIFE);
const SLOW_DECAY = Math.pow(0.5, 1 / SLOW_HALF_LIFE);
/**
 * Generalised likelihood-ratio thresholds: a recent view replaces the history when
 * `n × KL(recent ‖ history) > threshold`, i.e. when the recent outcomes are e^5 ≈ 150 (fast view)
 * or e^8 ≈ 3 000 (slow view) times likelier under their own rate than under the historical one.
 * The slow view tests far more often on overlapping data, hence its stricter threshold.
 */
const FAST_THRESHOLD = 5;
const SLOW_THRESHOLD = 8;
/** Below this much evidence a recent view is too thin to contradict anything. */
const MIN_RECENT_EVIDENCE = 4;
/** Differences of approval rate below this never trigger (saves the logarithms on most outcomes). */
const MIN_RATE_GAP = 0.02;

/** Resolved numeric options, shared by every gateway of one collector. */
export interface ApprovalDecay {
  readonly logDecay: number;
  readonly idleAfter: number;
  readonly logIdleDecay: number;
  readonly changeDetection: boolean;
}

/** Turns options (already validated) into the constants the evidence uses. */
export function resolveApprovalDecay(options: Required<ApprovalEstimatorOptions>): ApprovalDecay {
  return {
    logDecay: Math.log(0.5) / options.halfLife,
    idleAfter: options.idleAfter,
    logIdleDecay: Math.log(0.5) / options.idleHalfLife,
    changeDetection: options.changeDetection,
  };
}

/**
 * Recency-weighted approval evidence of one gateway: the Beta posterior behind the engine's
 * Thompson sampling (prior Beta(1, 1), plus `approvals` and `misses`).
 *
 * - Every outcome the collector records (from any gateway) ages the evidence by one step.
 * - A gateway that has been idle for `idleAfter` steps loses evidence faster (`idleHalfLife`).
 * - Two recent views of the gateway's own outcomes (half-lives of 30 and 300 of its outcomes)
 *   are compared with the history after each outcome; when one is significantly different
 *   (likelihood ratio), the history is replaced by that view. The fast view catches outages and
 *   recoveries within a handful of outcomes, the slow one catches gradual drifts.
 */
export class ApprovalEvidence {
  private approvals = 0;
  private misses = 0;
  private at = 0;
  private fastApprovals = 0;
  private fastMisses = 0;
  private slowApprovals = 0;
  private slowMisses = 0;

  /** Factor by which evidence recorded at step `at` has faded by step `now`. */
  private static fade(decay: ApprovalDecay, steps: number): number {
    if (steps <= 0) return 1;
    const idle = steps > decay.idleAfter ? (steps - decay.idleAfter) * decay.logIdleDecay : 0;
    return Math.exp(steps * decay.logDecay + idle);
  }

  /** Adds an outcome recorded at collector step `now` (1 = approved, 0 = missed). */
  record(decay: ApprovalDecay, now: number, approved: boolean): void {
    const fade = ApprovalEvidence.fade(decay, now - this.at);
    const hit = approved ? 1 : 0;
    this.approvals = this.approvals * fade + hit;
    this.misses = this.misses * fade + (1 - hit);
    this.at = now;
    this.fastApprovals = this.fastApprovals * FAST_DECAY + hit;
    this.fastMisses = this.fastMisses * FAST_DECAY + (1 - hit);
    this.slowApprovals = this.slowApprovals * SLOW_DECAY + hit;
    this.slowMisses = this.slowMisses * SLOW_DECAY + (1 - hit);
    if (!decay.changeDetection) return;
    if (this.contradicts(this.fastApprovals, this.fastMisses, 1, FAST_THRESHOLD)) {
      this.approvals = this.fastApprovals;
      this.misses = this.fastMisses;
      this.slowApprovals = this.fastApprovals;
      this.slowMisses = this.fastMisses;
    } else if (this.contradicts(this.slowApprovals, this.slowMisses, 1.5, SLOW_THRESHOLD)) {
      this.approvals = this.slowApprovals;
      this.misses = this.slowMisses;
    }
  }

  /** Evidence as of collector step `now`: approvals. */
  approvalsAt(decay: ApprovalDecay, now: number): number {
    return this.approvals * ApprovalEvidence.fade(decay, now - this.at);
  }

  /** Evidence as of collector step `now`: misses. */
  missesAt(decay: ApprovalDecay, now: number): number {
    return this.misses * ApprovalEvidence.fade(decay, now - this.at);
  }

  /** True when the recent view is significantly different from a history that is `depth` times longer. */
  private contradicts(recentApprovals: number, recentMisses: number, depth: number, threshold: number): boolean {
    const recent = recentApprovals + recentMisses;
    const history = this.approvals + this.misses;
    if (recent < MIN_RECENT_EVIDENCE || history <= recent * depth) return false;
    const p = (recentApprovals + 0.5) / (recent + 1);
    const q = (this.approvals + 0.5) / (history + 1);
    if (Math.abs(p - q) < MIN_RATE_GAP) return false;
    const divergence = p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
    return recent * divergence > threshold;
  }
}
