import { SystemClock, type Clock } from '@aegispay/domain';
import { defaultIsFailure, defaultIsFailureResult } from './failure-classification';
import type { SlidingWindowType } from './sliding-window';
import { check } from '../resilience-options';

/** Options of {@link EnhancedCircuitBreaker} (and the shared defaults of a {@link CircuitBreakerManager}). */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed breaker. Integer ≥ 1. Defaults to 5. */
  readonly failureThreshold?: number;
  /**
   * Failure rate over the sliding window that opens a closed breaker (≥, in (0, 1]), checked only
   * once the window holds `minimumNumberOfCalls` calls. Defaults to 0.5.
   */
  readonly failureRateThreshold?: number;
  /**
   * Calls the window must hold before the failure and slow-call rates are judged (capped at the
   * window size for a count window). Integer ≥ 1. Defaults to 20.
   */
  readonly minimumNumberOfCalls?: number;
  /**
   * `'count'`: the last `slidingWindowSize` calls. `'time'`: the calls of the last `slidingWindowSize`
   * seconds, in one-second buckets. Defaults to `'count'`.
   */
  readonly slidingWindowType?: SlidingWindowType;
  /** Calls (count window) or seconds (time window). Integer ≥ 1. Defaults to 100 calls, or 60 seconds for a time window. */
  readonly slidingWindowSize?: number;
  /** Successful probes that close a half-open breaker. Integer ≥ 1. Defaults to 3. */
  readonly successThreshold?: number;
  /** How long an open breaker fails fast before letting probes through (OPEN → HALF_OPEN). Defaults to 60 000 ms. */
  readonly openTimeout?: number;
  /**
   * How long a half-open breaker waits for `successThreshold` successful probes; when it ends
   * without them the breaker re-opens (so hung probes cannot leave it half-open forever). Defaults to 30 000 ms.
   */
  readonly halfOpenTimeout?: number;
  /** Probes allowed in flight at once while half-open; beyond it calls fail fast. Integer ≥ 1. Defaults to 5. */
  readonly halfOpenMaxAttempts?: number;
  /**
   * Adapts two thresholds to the gateway's recent behaviour. Defaults to false.
   * - **Open timeout backoff**: each time recovery fails (a half-open breaker re-opens) the next
   *   open period doubles, up to `maxOpenTimeout`; closing resets it to `openTimeout`. A gateway that
   *   keeps failing its probes is probed less and less often.
   * - **Probation**: after a recovery, until the window again holds `minimumNumberOfCalls` calls
   *   (while the rate threshold is blind), the consecutive-failure threshold is halved (rounded up,
   *   at least 1). A gateway that just came back is trusted less.
   */
  readonly adaptiveThresholds?: boolean;
  /** Ceiling of the adaptive open timeout (only used with `adaptiveThresholds`). ≥ `openTimeout`. Defaults to 10 × `openTimeout`. */
  readonly maxOpenTimeout?: number;
  /** Health score below which the gateway is unhealthy (`isHealthy()`, the manager's `getHealthyGateways()`). In [0, 1]. Defaults to 0.5. */
  readonly minHealthScore?: number;
  /**
   * A call slower than this (ms) is slow, whether it succeeded or not. Setting it turns slow-call
   * detection on (each call is then timed: two clock reads). Defaults to off: with a timeout policy
   * inside the breaker, hung calls already count as failures.
   */
  readonly slowCallDurationThreshold?: number;
  /**
   * Slow-call rate over the window that opens a closed breaker (≥, in (0, 1]), once the window holds
   * `minimumNumberOfCalls` calls; a slow probe re-opens a half-open breaker. Only used when
   * `slowCallDurationThreshold` is set. Defaults to 1 (every call in the window slow), as resilience4j.
   */
  readonly slowCallRateThreshold?: number;
  /**
   * Whether a {@link CircuitBreakerOpenError} captures a stack trace. Defaults to false: a refusal is
   * expected control flow, thrown thousands of times a second during an outage, and its cause is
   * known (`gateway`, `reason`, `health`); capturing a stack costs more than the rest of the refusal
   * (resilience4j's `writableStackTraceEnabled`). Turn on while debugging who calls a broken gateway.
   */
  readonly rejectionStackTraces?: boolean;
  /**
   * Whether a thrown error counts against the gateway. Defaults to every error except another
   * policy's refusal (`RESILIENCE.CIRCUIT_OPEN`, `RESILIENCE.BULKHEAD_FULL`). Errors thrown after the
   * caller's signal aborted are never counted: the caller gave up, the gateway did not fail.
   */
  readonly isFailure?: (error: unknown) => boolean;
  /**
   * Whether a returned result counts against the gateway (it is still returned, never thrown).
   * Defaults to: a domain `ChargeResult` that `isTechnicalFailure` (TECHNICAL_FAILURE or UNKNOWN);
   * approvals, declines and other values are successes. A classifier that throws counts the call as a failure.
   */
  readonly isFailureResult?: (result: unknown) => boolean;
  /** Source of time. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Receives errors thrown by event listeners (they never reach the caller). Defaults to ignoring them. */
  readonly onListenerError?: (error: unknown) => void;
}

/** @internal Options after defaults and validation. */
export interface ResolvedCircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly failureRateThreshold: number;
  readonly minimumNumberOfCalls: number;
  readonly slidingWindowType: SlidingWindowType;
  readonly slidingWindowSize: number;
  readonly successThreshold: number;
  readonly openTimeout: number;
  readonly halfOpenTimeout: number;
  readonly halfOpenMaxAttempts: number;
  readonly adaptiveThresholds: boolean;
  readonly maxOpenTimeout: number;
  readonly minHealthScore: number;
  /** Infinity when slow-call detection is off. */
  readonly slowCallDurationThreshold: number;
  readonly slowCallRateThreshold: number;
  readonly rejectionStackTraces: boolean;
  readonly isFailure: (error: unknown) => boolean;
  readonly isFailureResult: (result: unknown) => boolean;
  readonly clock: Clock;
  readonly onListenerError: (error: unknown) => void;
}

const ignore = (): void => undefined;

/** @internal A breaker's name: the gateway it protects, non-empty. */
export function checkBreakerName(name: string): string {
  if (typeof name !== 'string' || name.trim() === '') throw check.invalid('name', 'must be a non-empty string', name);
  return name;
}

/** @internal Applies defaults and rejects invalid values with an {@link InvalidOptionError} naming the option. */
export function resolveCircuitBreakerOptions(options: CircuitBreakerOptions): ResolvedCircuitBreakerOptions {
  check.object('options', options, undefined);
  const slidingWindowType = check.oneOf('slidingWindowType', options.slidingWindowType, 'count', ['count', 'time']);
  const openTimeout = check.number('openTimeout', options.openTimeout, 60_000, { min: 0 });
  const maxOpenTimeout = check.number('maxOpenTimeout', options.maxOpenTimeout, openTimeout * 10, { min: 0 });
  if (maxOpenTimeout < openTimeout) {
    throw check.invalid('maxOpenTimeout', `must be ≥ openTimeout (${openTimeout} ms)`, maxOpenTimeout);
  }
  const halfOpenTimeout = check.number('halfOpenTimeout', options.halfOpenTimeout, 30_000, { above: 0 });
  return {
    failureThreshold: check.integer('failureThreshold', options.failureThreshold, 5, { min: 1 }),
    failureRateThreshold: check.rate('failureRateThreshold', options.failureRateThreshold, 0.5, { above: 0 }),
    minimumNumberOfCalls: check.integer('minimumNumberOfCalls', options.minimumNumberOfCalls, 20, { min: 1 }),
    slidingWindowType,
    slidingWindowSize: check.integer('slidingWindowSize', options.slidingWindowSize, slidingWindowType === 'count' ? 100 : 60, { min: 1 }),
    successThreshold: check.integer('successThreshold', options.successThreshold, 3, { min: 1 }),
    openTimeout,
    halfOpenTimeout,
    halfOpenMaxAttempts: check.integer('halfOpenMaxAttempts', options.halfOpenMaxAttempts, 5, { min: 1 }),
    adaptiveThresholds: check.boolean('adaptiveThresholds', options.adaptiveThresholds, false),
    maxOpenTimeout,
    minHealthScore: check.rate('minHealthScore', options.minHealthScore, 0.5),
    slowCallDurationThreshold: check.number('slowCallDurationThreshold', options.slowCallDurationThreshold, Infinity, { min: 0 }),
    slowCallRateThreshold: check.rate('slowCallRateThreshold', options.slowCallRateThreshold, 1, { above: 0 }),
    rejectionStackTraces: check.boolean('rejectionStackTraces', options.rejectionStackTraces, false),
    isFailure: check.optionalFunction('isFailure', options.isFailure) ?? defaultIsFailure,
    isFailureResult: check.optionalFunction('isFailureResult', options.isFailureResult) ?? defaultIsFailureResult,
    clock: check.port('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']),
    onListenerError: check.optionalFunction('onListenerError', options.onListenerError) ?? ignore,
  };
}
