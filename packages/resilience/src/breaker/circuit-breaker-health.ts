import type { CircuitState } from './circuit-state';
import type { SlidingWindow } from './sliding-window';

/** A breaker's health at one instant (`getHealth()`, `CircuitBreakerOpenError.health`). */
export interface CircuitBreakerHealth {
  /** The breaker's name (the gateway it protects). */
  readonly gateway: string;
  readonly circuitState: CircuitState;
  /** In [0, 1]; see {@link computeHealthScore}. */
  readonly healthScore: number;
  /** Successes / calls over the sliding window; 1 when the window is empty (no news is not bad news). */
  readonly successRate: number;
  /** Failures / calls over the sliding window; 0 when the window is empty. */
  readonly failureRate: number;
  /** Slow calls / calls over the sliding window; 0 when the window is empty. */
  readonly slowCallRate: number;
  /** Calls currently in the sliding window. */
  readonly callsInWindow: number;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  /** Times the breaker opened since it was created (manual `isolate()` included). */
  readonly openCount: number;
  /** Calls made through the breaker since it was created (rejected calls excluded). */
  readonly totalCalls: number;
  /** Clock time of the last failure, epoch ms; null before the first. */
  readonly lastFailureAt: number | null;
  /** Clock time of the last state change (creation time before the first), epoch ms. */
  readonly lastStateChangeAt: number;
  /** Milliseconds until an open breaker lets a probe through: 0 unless OPEN, Infinity while isolated. */
  readonly timeUntilRetry: number;
  /** True after `isolate()`, until `reset()`. */
  readonly isolated: boolean;
}

/** Contribution of each state to the health score (the spec's 50 % weight, already applied). */
export const STATE_HEALTH: Readonly<Record<CircuitState, number>> = Object.freeze({ CLOSED: 0.5, HALF_OPEN: 0.25, OPEN: 0 });

/** Inputs of {@link computeHealthScore}. */
export interface HealthScoreInputs {
  readonly state: CircuitState;
  readonly successRate: number;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  /** Successes in a row that earn the full +0.1 bonus (the breaker's `successThreshold`). */
  readonly successSaturation: number;
  /** Failures in a row that cost the full −0.1 penalty (the breaker's `failureThreshold`). */
  readonly failureSaturation: number;
}

/**
 * The spec's health score, clamped to [0, 1]:
 * `state (CLOSED 0.5, HALF_OPEN 0.25, OPEN 0) + 0.3 × successRate
 *   + 0.1 × min(consecutiveSuccesses / successThreshold, 1) − 0.1 × min(consecutiveFailures / failureThreshold, 1)`.
 * The streak terms saturate at the streaks that change the state: `successThreshold` successes close
 * a half-open breaker, `failureThreshold` failures open a closed one. A healthy closed breaker scores 0.9.
 *
 * The breaker passes as `successRate` the rate it judges, which, like the failure-rate threshold,
 * waits for `minimumNumberOfCalls`: below that, the calls the window is missing count as successes
 * (one failure in a fresh window of minimum 20 gives 0.95, not 0). Otherwise a single early failure
 * would push a gateway under the routing threshold, and an unrouted gateway never gets the calls
 * that would prove it healthy again. `getHealth().successRate` stays the raw observed rate.
 */
export function computeHealthScore(inputs: HealthScoreInputs): number {
  const bonus = 0.1 * Math.min(inputs.consecutiveSuccesses / inputs.successSaturation, 1);
  const penalty = 0.1 * Math.min(inputs.consecutiveFailures / inputs.failureSaturation, 1);
  const score = STATE_HEALTH[inputs.state] + 0.3 * inputs.successRate + bonus - penalty;
  return score <= 0 ? 0 : score >= 1 ? 1 : score;
}

/** @internal What a breaker knows at one instant, from which {@link readHealth} reads its health. */
export interface BreakerReading {
  readonly gateway: string;
  readonly state: CircuitState;
  readonly isolated: boolean;
  /** When an OPEN breaker lets probes through. */
  readonly openUntil: number;
  readonly now: number;
  /** The breaker's sliding window, advanced to `now`. */
  readonly window: Pick<SlidingWindow, 'calls' | 'failures' | 'slowCalls'>;
  /** Calls the window must hold before its rates are judged. */
  readonly minimumCalls: number;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  readonly openCount: number;
  readonly totalCalls: number;
  readonly lastFailureAt: number | null;
  readonly lastStateChangeAt: number;
  /** The breaker's `successThreshold` and `failureThreshold`, where the health score's streak terms saturate. */
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/** @internal A breaker's {@link CircuitBreakerHealth} from what it knows now. */
export function readHealth(reading: BreakerReading): CircuitBreakerHealth {
  const { state, window, minimumCalls, now } = reading;
  const calls = window.calls;
  const failureRate = calls === 0 ? 0 : window.failures / calls;
  const successRate = calls === 0 ? 1 : 1 - failureRate;
  const timeUntilRetry = state !== 'OPEN' ? 0 : reading.isolated ? Infinity : Math.max(0, reading.openUntil - now);
  return {
    gateway: reading.gateway,
    circuitState: state,
    healthScore: computeHealthScore({
      state,
      // Judged like the failure-rate threshold: a window short of minimumNumberOfCalls counts its
      // missing calls as successes, so one early failure cannot sink a gateway below every
      // routing threshold (where it would get no traffic to prove itself again).
      successRate: calls >= minimumCalls ? successRate : (calls - window.failures + (minimumCalls - calls)) / minimumCalls,
      consecutiveSuccesses: reading.consecutiveSuccesses,
      consecutiveFailures: reading.consecutiveFailures,
      successSaturation: reading.successThreshold,
      failureSaturation: reading.failureThreshold,
    }),
    successRate,
    failureRate,
    slowCallRate: calls === 0 ? 0 : window.slowCalls / calls,
    callsInWindow: calls,
    consecutiveSuccesses: reading.consecutiveSuccesses,
    consecutiveFailures: reading.consecutiveFailures,
    openCount: reading.openCount,
    totalCalls: reading.totalCalls,
    lastFailureAt: reading.lastFailureAt,
    lastStateChangeAt: reading.lastStateChangeAt,
    timeUntilRetry,
    isolated: reading.isolated,
  };
}
