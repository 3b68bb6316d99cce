/**
 * Exponential backoff with jitter, as every AegisPay component that waits between attempts takes
 * it: `RetryPolicy` (and the retry of `OptimisticLockManager`), the `OutboxRelay`'s delay between
 * publish attempts of one message, the orchestrator's wait between fail-over attempts. The wait
 * before retry `n` is `initialBackoffMs × backoffMultiplier^(n − 1)`, spread by `jitterFactor` and
 * capped at `maxBackoffMs`. Defaults belong to each component and are stated where it takes them.
 */
export interface BackoffOptions {
  /** Wait before the first retry, before jitter, in ms (≥ 0). */
  readonly initialBackoffMs?: number;
  /** Cap on any wait, jitter included, in ms (≥ 0). */
  readonly maxBackoffMs?: number;
  /** Growth of the wait per retry (≥ 1). */
  readonly backoffMultiplier?: number;
  /** Proportional jitter: each wait is drawn in ±factor around the exponential one. In [0, 1]. */
  readonly jitterFactor?: number;
}
