import type { Clock } from '@aegispay/domain';
import { policyContext, type PolicyContext, type ResiliencePolicy } from '../policy/resilience-policy';
import {
  CircuitBreakerEventHub,
  CircuitBreakerEvents,
  type RejectReason,
  type StateChangeReason,
} from './circuit-breaker-events';
import { readHealth, type CircuitBreakerHealth } from './circuit-breaker-health';
import { checkBreakerName, resolveCircuitBreakerOptions, type CircuitBreakerOptions, type ResolvedCircuitBreakerOptions } from './circuit-breaker-options';
import { assertCircuitBreakerSnapshot, type CircuitBreakerSnapshot } from './circuit-breaker-snapshot';
import { InvalidSnapshotError, refusalError, type CircuitBreakerOpenError } from './circuit-breaker.errors';
import type { CircuitState } from './circuit-state';
import { failedError } from './failure-classification';
import { createSlidingWindow, type SlidingWindow } from './sliding-window';

/** @internal Key of the method a manager uses to hear a breaker's events; not exported from the package. */
export const ATTACH_EVENTS = Symbol('aegispay.resilience.attachEvents');

/**
 * A circuit breaker for one gateway, with a health score.
 *
 * - **CLOSED**: calls go through. It opens after `failureThreshold` consecutive failures, or when
 *   the failure rate (or slow-call rate) over the sliding window reaches its threshold once the
 *   window holds `minimumNumberOfCalls` calls.
 * - **OPEN**: calls fail fast with {@link CircuitBreakerOpenError} for `openTimeout`.
 * - **HALF_OPEN**: up to `halfOpenMaxAttempts` probes in flight at once; `successThreshold`
 *   successful probes close it, one failed (or slow) probe re-opens it, and so does
 *   `halfOpenTimeout` elapsing (counted from the first probe) without enough successes.
 *
 * Failures are thrown errors and returned results classified as failures (by default a
 * `ChargeResult` that is a technical failure or unknown outcome — returned to the caller, not
 * thrown). A call's outcome counts in the state it started in: calls that finish after the state
 * changed are reported (events, `totalCalls`) but do not move the new state.
 *
 * Time-driven transitions (OPEN → HALF_OPEN, half-open timeout) need no timer: they are applied
 * when the breaker is next used or read (`execute`, `state`, `getHealth`), each stamped with the
 * time it fell due, so the breaker behaves exactly as if a timer had fired.
 */
export class EnhancedCircuitBreaker extends CircuitBreakerEvents implements ResiliencePolicy {
  /** The breaker's name: the gateway it protects, as it appears in events and health. */
  readonly name: string;
  private readonly config: ResolvedCircuitBreakerOptions;
  private readonly clock: Clock;
  protected override readonly hub: CircuitBreakerEventHub;
  private readonly window: SlidingWindow;
  /** Calls the window must hold before its rates are judged. */
  private readonly minimumCalls: number;
  /** Whether every call needs its start time (slow-call detection or a time window). */
  private readonly timed: boolean;

  private current: CircuitState = 'CLOSED';
  /** Bumped on every transition: a call only moves the state it started in. */
  private generation = 0;
  private isolatedFlag = false;
  private lastStateChangeAt: number;
  private openUntil = 0;
  private halfOpenUntil = Infinity;
  private currentOpenTimeout: number;
  private probesInFlight = 0;
  private halfOpenSuccesses = 0;
  private probationCallsLeft = 0;
  private consecutiveSuccesses = 0;
  private consecutiveFailures = 0;
  private openCount = 0;
  private totalCalls = 0;
  private lastFailureAt: number | null = null;

  /**
   * @param name the gateway this breaker protects (non-empty).
   * @param options thresholds and timeouts; see {@link CircuitBreakerOptions} for every default.
   */
  constructor(name: string, options: CircuitBreakerOptions = {}) {
    super();
    this.name = checkBreakerName(name);
    this.config = resolveCircuitBreakerOptions(options);
    this.clock = this.config.clock;
    this.hub = new CircuitBreakerEventHub(this.config.onListenerError);
    const { slidingWindowType, slidingWindowSize, minimumNumberOfCalls } = this.config;
    this.window = createSlidingWindow(slidingWindowType, slidingWindowSize);
    this.minimumCalls = slidingWindowType === 'count' ? Math.min(minimumNumberOfCalls, slidingWindowSize) : minimumNumberOfCalls;
    this.timed = this.config.slidingWindowType === 'time' || this.config.slowCallDurationThreshold !== Infinity;
    this.currentOpenTimeout = this.config.openTimeout;
    this.lastStateChangeAt = this.clock.now();
  }

  /** Builds a breaker and loads `snapshot` into it (see {@link toJSON}). */
  static fromJSON(snapshot: CircuitBreakerSnapshot, options: CircuitBreakerOptions = {}): EnhancedCircuitBreaker {
    assertCircuitBreakerSnapshot(snapshot);
    const breaker = new EnhancedCircuitBreaker(snapshot.gateway, options);
    breaker.restore(snapshot);
    return breaker;
  }

  /** The current state (applying a due OPEN → HALF_OPEN or half-open timeout first). */
  get state(): CircuitState {
    this.applyDueTransitions(this.clock.now());
    return this.current;
  }

  /** True after {@link isolate}, until {@link reset}. */
  get isolated(): boolean {
    return this.isolatedFlag;
  }

  /**
   * Runs `fn` through the breaker. Rejects at once with {@link CircuitBreakerOpenError} when the
   * breaker refuses the call; otherwise returns what `fn` returns (failure results included) and
   * rethrows what it throws. `signal` is handed to `fn`; errors after it aborted are not counted.
   */
  async execute<T>(fn: (context: PolicyContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal !== undefined) signal.throwIfAborted();
    if (this.current !== 'CLOSED') this.admit();
    const generation = this.generation;
    const start = this.timeIf(this.timed || this.hub.success.active || this.hub.failure.active);
    let result: T;
    try {
      result = await fn(policyContext(signal));
    } catch (error) {
      this.settleError(error, start, generation, signal);
      throw error;
    }
    let failed: boolean;
    try {
      failed = this.config.isFailureResult(result) === true;
    } catch {
      // A broken classifier must not turn a completed gateway call into an error: count it, return the result.
      failed = true;
    }
    this.record(failed, start, generation, failed ? result : undefined, undefined, false);
    return result;
  }

  /** The breaker's health now (see {@link CircuitBreakerHealth}). */
  getHealth(): CircuitBreakerHealth {
    const now = this.clock.now();
    this.applyDueTransitions(now);
    return this.healthAt(now);
  }

  /** Whether the health score is at least `minScore`. */
  isHealthy(minScore: number = this.config.minHealthScore): boolean {
    return this.getHealth().healthScore >= minScore;
  }

  /**
   * Whether a call made now would be let through (CLOSED, or HALF_OPEN with a free probe slot, or
   * OPEN with its open timeout elapsed). Does not reserve anything.
   */
  isCallPermitted(): boolean {
    this.applyDueTransitions(this.clock.now());
    if (this.current === 'CLOSED') return true;
    if (this.current === 'OPEN') return false;
    return this.probesInFlight < this.config.halfOpenMaxAttempts;
  }

  /** The health score below which the gateway counts as unhealthy. */
  get minHealthScore(): number {
    return this.config.minHealthScore;
  }

  /**
   * Opens the breaker and keeps it open until {@link reset}: an operator taking a gateway out of
   * rotation. Calls fail fast with reason `ISOLATED`; no probe is let through.
   */
  isolate(): void {
    const now = this.clock.now();
    this.isolatedFlag = true;
    if (this.current === 'OPEN') this.generation += 1;
    else this.transition('OPEN', 'ISOLATED', now);
  }

  /**
   * Closes the breaker and forgets recent history (sliding window, streaks, adaptive backoff,
   * isolation). Lifetime counters (`openCount`, `totalCalls`) are kept.
   */
  reset(): void {
    const now = this.clock.now();
    this.isolatedFlag = false;
    this.window.clear();
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses = 0;
    this.probationCallsLeft = 0;
    this.currentOpenTimeout = this.config.openTimeout;
    if (this.current === 'CLOSED') this.generation += 1;
    else this.transition('CLOSED', 'RESET', now);
  }

  /** The breaker's state as plain JSON, for {@link restore} here or in another process. */
  toJSON(): CircuitBreakerSnapshot {
    return {
      version: 1,
      gateway: this.name,
      state: this.current,
      isolated: this.isolatedFlag,
      lastStateChangeAt: this.lastStateChangeAt,
      openUntil: Number.isFinite(this.openUntil) ? this.openUntil : 0,
      halfOpenUntil: Number.isFinite(this.halfOpenUntil) ? this.halfOpenUntil : null,
      currentOpenTimeout: this.currentOpenTimeout,
      halfOpenSuccesses: this.halfOpenSuccesses,
      probationCallsLeft: this.probationCallsLeft,
      consecutiveSuccesses: this.consecutiveSuccesses,
      consecutiveFailures: this.consecutiveFailures,
      openCount: this.openCount,
      totalCalls: this.totalCalls,
      lastFailureAt: this.lastFailureAt,
      window: this.window.toJSON(),
    };
  }

  /**
   * Loads a snapshot taken by {@link toJSON} of a breaker with the same name. Calls in flight are
   * not part of a snapshot: their outcomes will not move the restored state. Emits a state change
   * (reason `RESTORED`) when the state differs. Throws {@link InvalidSnapshotError} on a malformed snapshot.
   */
  restore(snapshot: CircuitBreakerSnapshot): void {
    assertCircuitBreakerSnapshot(snapshot);
    if (snapshot.gateway !== this.name) {
      throw new InvalidSnapshotError('gateway', `snapshot of ${JSON.stringify(snapshot.gateway)} given to breaker ${JSON.stringify(this.name)}`);
    }
    const from = this.current;
    this.current = snapshot.state;
    this.generation += 1;
    this.isolatedFlag = snapshot.isolated;
    this.lastStateChangeAt = snapshot.lastStateChangeAt;
    this.openUntil = snapshot.openUntil;
    this.halfOpenUntil = snapshot.halfOpenUntil ?? Infinity;
    this.currentOpenTimeout = Math.min(Math.max(snapshot.currentOpenTimeout, this.config.openTimeout), this.config.maxOpenTimeout);
    this.probesInFlight = 0;
    this.halfOpenSuccesses = snapshot.halfOpenSuccesses;
    this.probationCallsLeft = snapshot.probationCallsLeft;
    this.consecutiveSuccesses = snapshot.consecutiveSuccesses;
    this.consecutiveFailures = snapshot.consecutiveFailures;
    this.openCount = snapshot.openCount;
    this.totalCalls = snapshot.totalCalls;
    this.lastFailureAt = snapshot.lastFailureAt;
    this.window.restore(snapshot.window);
    if (from !== snapshot.state) {
      this.hub.emitStateChange({ gateway: this.name, at: this.clock.now(), from, to: snapshot.state, reason: 'RESTORED' });
    }
  }

  /** @internal Forwards this breaker's events to a manager's hub (see {@link ATTACH_EVENTS}). */
  [ATTACH_EVENTS](parent: CircuitBreakerEventHub): void {
    this.hub.attach(parent);
  }

  /** Lets a call through a breaker that is not CLOSED, or throws the refusal. */
  private admit(): void {
    const now = this.clock.now();
    this.applyDueTransitions(now);
    if (this.current === 'OPEN') throw this.refuse(this.isolatedFlag ? 'ISOLATED' : 'OPEN', now);
    if (this.current === 'HALF_OPEN') {
      if (this.probesInFlight >= this.config.halfOpenMaxAttempts) throw this.refuse('HALF_OPEN_FULL', now);
      // The half-open period is measured from its first probe: an idle half-open breaker has learnt nothing to give up on.
      if (this.halfOpenUntil === Infinity) this.halfOpenUntil = now + this.config.halfOpenTimeout;
      this.probesInFlight += 1;
    }
  }

  private refuse(reason: RejectReason, now: number): CircuitBreakerOpenError {
    const health = this.healthAt(now);
    if (this.hub.reject.active) {
      this.hub.reject.emit({ gateway: this.name, at: now, state: this.current, reason, timeUntilRetry: health.timeUntilRetry });
    }
    return refusalError(health, reason, this.config.rejectionStackTraces);
  }

  private settleError(error: unknown, start: number, generation: number, signal: AbortSignal | undefined): void {
    if (failedError(this.config.isFailure, error, signal)) this.record(true, start, generation, undefined, error, true);
    else if (generation === this.generation && this.current === 'HALF_OPEN') this.probesInFlight -= 1;
  }

  /**
   * Counts a completed call. When the call was not timed, the clock is read only if the outcome
   * needs a time (a failure, a listener, a probe); see {@link timeIf}.
   */
  private record(failed: boolean, start: number, generation: number, result: unknown, error: unknown, threw: boolean): void {
    const listening = failed ? this.hub.failure.active : this.hub.success.active;
    const probe = generation === this.generation && this.current === 'HALF_OPEN';
    const now = this.timeIf(failed || listening || probe || !Number.isNaN(start));
    // A probe is judged at the time it lands, not whenever the breaker is next read: one that
    // lands after the half-open period ran out finds the breaker re-opened and counts for nothing.
    if (probe) this.applyDueTransitions(now);
    const durationMs = now - start;
    const slow = durationMs > this.config.slowCallDurationThreshold;
    this.totalCalls += 1;
    if (failed) this.lastFailureAt = now;
    if (generation === this.generation) {
      this.window.record(now, failed, slow);
      if (failed) {
        this.consecutiveFailures += 1;
        this.consecutiveSuccesses = 0;
      } else {
        this.consecutiveSuccesses += 1;
        this.consecutiveFailures = 0;
      }
      if (this.probationCallsLeft > 0) this.probationCallsLeft -= 1;
    }
    if (listening) {
      if (!failed) this.hub.success.emit({ gateway: this.name, at: now, durationMs, slow });
      else if (threw) this.hub.failure.emit({ gateway: this.name, at: now, durationMs, slow, error });
      else this.hub.failure.emit({ gateway: this.name, at: now, durationMs, slow, result });
    }
    if (generation !== this.generation) return;
    if (this.current === 'CLOSED') {
      if (failed || slow) this.judgeClosed(failed, now);
    } else if (this.current === 'HALF_OPEN') {
      this.probesInFlight -= 1;
      if (failed || slow) this.transition('OPEN', 'PROBE_FAILED', now);
      else if ((this.halfOpenSuccesses += 1) >= this.config.successThreshold) this.transition('CLOSED', 'SUCCESS_THRESHOLD', now);
    }
  }

  /**
   * Performance kernel, kept because `npm run bench -- breaker` shows its gain: a call's times are
   * read from the clock only when something uses them (slow-call detection, a time window, a
   * listener, a failure or a probe to stamp); otherwise the time is NaN, "not timed". On a closed
   * breaker's success path the two clock reads cost more than everything else the breaker does:
   * success-path overhead over a bare async call 74 ns with this kernel, 159 ns reading the clock
   * on every call (medians of five interleaved runs of the benchmark, ×1.9). A method of the
   * breaker, not a shared function: V8 inlines it here, where a function shared across modules
   * cost ≈ 50 ns a call in the same measurement.
   */
  private timeIf(needed: boolean): number {
    return needed ? this.clock.now() : Number.NaN;
  }

  private judgeClosed(failed: boolean, now: number): void {
    const threshold = this.probationCallsLeft > 0 ? Math.ceil(this.config.failureThreshold / 2) : this.config.failureThreshold;
    if (failed && this.consecutiveFailures >= threshold) {
      this.transition('OPEN', 'FAILURE_THRESHOLD', now);
      return;
    }
    const calls = this.window.calls;
    if (calls < this.minimumCalls) return;
    if (this.window.failures / calls >= this.config.failureRateThreshold) this.transition('OPEN', 'FAILURE_RATE', now);
    else if (this.window.slowCalls / calls >= this.config.slowCallRateThreshold) this.transition('OPEN', 'SLOW_CALL_RATE', now);
  }

  /**
   * Applies the time-driven transitions due by `now`, each at the time it fell due, as a timer
   * would have: a half-open period that ran out long ago re-opened the breaker then, and that open
   * period may itself be over (so the call arriving now is a probe, not a refusal).
   */
  private applyDueTransitions(now: number): void {
    for (;;) {
      if (this.current === 'OPEN') {
        if (this.isolatedFlag || now < this.openUntil) return;
        this.transition('HALF_OPEN', 'OPEN_TIMEOUT_ELAPSED', this.openUntil);
      } else if (this.current === 'HALF_OPEN' && now >= this.halfOpenUntil) {
        this.transition('OPEN', 'HALF_OPEN_TIMEOUT', this.halfOpenUntil);
      } else {
        return;
      }
    }
  }

  private transition(to: CircuitState, reason: StateChangeReason, now: number): void {
    const from = this.current;
    this.current = to;
    this.generation += 1;
    this.lastStateChangeAt = now;
    this.probesInFlight = 0;
    switch (to) {
      case 'OPEN':
        this.openCount += 1;
        if (from === 'HALF_OPEN' && this.config.adaptiveThresholds) {
          this.currentOpenTimeout = Math.min(this.config.maxOpenTimeout, this.currentOpenTimeout * 2);
        }
        this.openUntil = now + this.currentOpenTimeout;
        break;
      case 'HALF_OPEN':
        // Probes are judged on their own, as resilience4j does: the calls that opened the breaker are history.
        this.window.clear();
        this.halfOpenSuccesses = 0;
        this.halfOpenUntil = Infinity;
        break;
      case 'CLOSED':
        this.window.clear();
        this.currentOpenTimeout = this.config.openTimeout;
        this.probationCallsLeft = this.config.adaptiveThresholds && reason === 'SUCCESS_THRESHOLD' ? this.minimumCalls : 0;
        break;
    }
    if (this.hub.stateChange.active || this.hub.open.active || this.hub.halfOpen.active || this.hub.close.active) {
      this.hub.emitStateChange({ gateway: this.name, at: now, from, to, reason });
    }
  }

  private healthAt(now: number): CircuitBreakerHealth {
    this.window.advance(now);
    return readHealth({
      gateway: this.name, state: this.current, isolated: this.isolatedFlag, openUntil: this.openUntil, now, window: this.window, minimumCalls: this.minimumCalls,
      consecutiveSuccesses: this.consecutiveSuccesses, consecutiveFailures: this.consecutiveFailures, openCount: this.openCount, totalCalls: this.totalCalls,
      lastFailureAt: this.lastFailureAt, lastStateChangeAt: this.lastStateChangeAt, successThreshold: this.config.successThreshold, failureThreshold: this.config.failureThreshold,
    });
  }
}
