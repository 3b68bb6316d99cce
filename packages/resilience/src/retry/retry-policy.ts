import { CryptoRandom, SystemClock, type Clock, type Random } from '@aegispay/domain';
import { isAbortError } from './abort';
import type { BackoffOptions } from './backoff-options';
import { RetryExhaustedError } from './retry.errors';
import { check } from '../resilience-options';

/** How the delay is spread around the exponential law. See {@link RetryOptions.jitter}. */
export type JitterStrategy = 'proportional' | 'full' | 'decorrelated';

/** What an attempt receives: its 1-based number and the caller's signal, to pass to the I/O. */
export interface RetryContext {
  /** 1 for the first call, 2 for the first retry, … */
  readonly attempt: number;
  /** The signal given to `execute`, when there is one. */
  readonly signal?: AbortSignal;
}

/** Passed to {@link RetryOptions.onRetry} before each wait. */
export interface RetryEvent<T = unknown> {
  /** The number of the attempt that just failed (1-based); the next call is attempt + 1. */
  readonly attempt: number;
  /** How long the policy will wait before the next attempt. */
  readonly delayMs: number;
  /** What the failed attempt threw, when it threw. */
  readonly error?: unknown;
  /** What the failed attempt returned, when its result was classified as a failure. */
  readonly result?: T;
}

/**
 * Options of {@link RetryPolicy}. The backoff ({@link BackoffOptions}) defaults to
 * `initialBackoffMs` 100 ms, `maxBackoffMs` 10 000 ms, `backoffMultiplier` 2, `jitterFactor` 0.1.
 */
export interface RetryOptions<T = unknown> extends BackoffOptions {
  /** Retries after the first attempt (so up to maxRetries + 1 calls). Integer ≥ 0. Defaults to 3. */
  readonly maxRetries?: number;
  /**
   * How randomness spreads the delays. Defaults to `'proportional'`.
   * - `'proportional'`: `base × (1 ± jitterFactor)`, where `base = initialBackoffMs × backoffMultiplier^(retry − 1)`
   *   (the spec's table: 10 ms, 20 ms ± jitter, 40 ms ± jitter…).
   * - `'full'`: uniform in `[0, base]` (AWS "full jitter"): the widest spread, the least contention.
   * - `'decorrelated'`: uniform in `[initialBackoffMs, previous × (2 × backoffMultiplier − 1)]`
   *   (AWS "decorrelated jitter"; with the default multiplier 2 this is AWS's `× 3`, and the
   *   expected growth per retry is about `backoffMultiplier`).
   * Every strategy is capped at `maxBackoffMs`.
   */
  readonly jitter?: JitterStrategy;
  /** Whether a thrown error should be retried. Defaults to every error except an abort (`name === 'AbortError'`). */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
  /**
   * Whether a returned result is a failure to retry: results are classified too, not only throws
   * (a gateway returns a technical failure as a value). Defaults to never.
   */
  readonly shouldRetryResult?: (result: T, attempt: number) => boolean;
  /** Source of time; waits go through `clock.sleep`, so they are abortable and virtual in tests. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** Source of jitter. Defaults to `CryptoRandom`; pass a seeded `Random` to replay delays exactly. */
  readonly random?: Random;
  /** Called before each wait, for logging and metrics. Not called when the policy gives up. */
  readonly onRetry?: (event: RetryEvent<T>) => void;
}

const JITTER_STRATEGIES: readonly JitterStrategy[] = ['proportional', 'full', 'decorrelated'];
const alwaysExceptAbort = (error: unknown): boolean => !isAbortError(error);

/**
 * Retries an async operation with exponential backoff and jitter. Thrown errors and, when
 * `shouldRetryResult` is given, returned results are classified; waits go through the `Clock`
 * (so an `AbortSignal` cancels them) and jitter through the `Random` port.
 *
 * - Errors that are not retryable propagate unchanged.
 * - When retries are exhausted it rejects with {@link RetryExhaustedError}.
 * - When the signal aborts (before an attempt or during a wait) it rejects with the signal's reason
 *   and makes no further attempt.
 */
export class RetryPolicy<T = unknown> {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Delay before the first retry, before jitter. */
  readonly initialBackoffMs: number;
  /** Cap on any delay. */
  readonly maxBackoffMs: number;
  /** Growth of the delay per retry. */
  readonly backoffMultiplier: number;
  /** Proportional jitter factor. */
  readonly jitterFactor: number;
  /** Jitter strategy. */
  readonly jitter: JitterStrategy;
  private readonly shouldRetry: (error: unknown, attempt: number) => boolean;
  private readonly shouldRetryResult: ((result: T, attempt: number) => boolean) | undefined;
  private readonly onRetry: ((event: RetryEvent<T>) => void) | undefined;
  private readonly clock: Clock;
  private readonly random: Random;

  constructor(options: RetryOptions<T> = {}) {
    this.maxRetries = check.integer('maxRetries', options.maxRetries, 3, { min: 0 });
    this.initialBackoffMs = check.number('initialBackoffMs', options.initialBackoffMs, 100, { min: 0 });
    this.maxBackoffMs = check.number('maxBackoffMs', options.maxBackoffMs, 10_000, { min: 0 });
    this.backoffMultiplier = check.number('backoffMultiplier', options.backoffMultiplier, 2, { min: 1 });
    this.jitterFactor = check.rate('jitterFactor', options.jitterFactor, 0.1);
    this.jitter = check.oneOf('jitter', options.jitter, 'proportional', JITTER_STRATEGIES);
    this.shouldRetry = check.optionalFunction('shouldRetry', options.shouldRetry) ?? alwaysExceptAbort;
    this.shouldRetryResult = check.optionalFunction('shouldRetryResult', options.shouldRetryResult);
    this.onRetry = check.optionalFunction('onRetry', options.onRetry);
    this.clock = check.port('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']);
    this.random = check.port('random', options.random, () => new CryptoRandom(), ['next']);
  }

  /**
   * Runs `fn` (attempt is 1-based) until it succeeds, is not retryable, or retries are exhausted.
   * `fn` receives the signal: pass it to the I/O so an abort also cancels the attempt in flight.
   */
  async execute<R extends T>(fn: (context: RetryContext) => Promise<R>, signal?: AbortSignal): Promise<R> {
    let previousDelay: number | undefined;
    for (let attempt = 1; ; attempt += 1) {
      signal?.throwIfAborted();
      let result: R;
      try {
        result = await fn(signal === undefined ? { attempt } : { attempt, signal });
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        if (!this.shouldRetry(error, attempt)) throw error;
        if (attempt > this.maxRetries) throw new RetryExhaustedError(attempt, { error });
        previousDelay = this.computeDelay(attempt, previousDelay);
        this.onRetry?.({ attempt, delayMs: previousDelay, error });
        await this.clock.sleep(previousDelay, signal);
        continue;
      }
      if (this.shouldRetryResult === undefined || !this.shouldRetryResult(result, attempt)) return result;
      if (attempt > this.maxRetries) throw new RetryExhaustedError(attempt, { result });
      previousDelay = this.computeDelay(attempt, previousDelay);
      this.onRetry?.({ attempt, delayMs: previousDelay, result });
      await this.clock.sleep(previousDelay, signal);
    }
  }

  /**
   * The delay before retry number `retry` (1-based), drawing from `random` for jitter. Never above
   * `maxBackoffMs`, never negative. `previousDelayMs` feeds the decorrelated law (the delay actually
   * waited before the previous retry); when left out it is the un-jittered delay of the previous retry.
   * @throws InvalidOptionError when `retry` is not an integer ≥ 1 or `previousDelayMs` not a finite number ≥ 0.
   */
  computeDelay(retry: number, previousDelayMs?: number): number {
    check.integer('retry', retry, 1, { min: 1 });
    if (previousDelayMs !== undefined) check.number('previousDelayMs', previousDelayMs, 0, { min: 0 });
    const cap = this.maxBackoffMs;
    switch (this.jitter) {
      case 'proportional': {
        const base = this.base(retry);
        const jittered = base * (1 + this.jitterFactor * (2 * this.random.next() - 1));
        return clamp(jittered, cap);
      }
      case 'full':
        return clamp(this.random.next() * this.base(retry), cap);
      case 'decorrelated': {
        const floor = Math.min(this.initialBackoffMs, cap);
        const previous = previousDelayMs ?? (retry === 1 ? this.initialBackoffMs : this.base(retry - 1));
        const ceiling = Math.max(floor, previous * (2 * this.backoffMultiplier - 1));
        return clamp(floor + this.random.next() * (ceiling - floor), cap);
      }
    }
  }

  /** The exponential delay before jitter, capped at `maxBackoffMs`. */
  private base(retry: number): number {
    // 0 × Infinity is NaN: a zero initial delay stays zero however many retries.
    if (this.initialBackoffMs === 0) return 0;
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * this.backoffMultiplier ** (retry - 1));
  }
}

/** Convenience: `new RetryPolicy(options).execute(fn, options.signal)`. */
export function retry<T>(
  fn: (context: RetryContext) => Promise<T>,
  options: RetryOptions<T> & { readonly signal?: AbortSignal } = {},
): Promise<T> {
  return new RetryPolicy<T>(options).execute(fn, options.signal);
}

function clamp(delay: number, cap: number): number {
  return delay <= 0 ? 0 : delay >= cap ? cap : delay;
}
