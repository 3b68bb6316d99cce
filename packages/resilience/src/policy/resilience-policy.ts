/** What a policy hands to the operation it runs: the signal to pass on to the I/O. */
export interface PolicyContext {
  /** Aborts when the caller gives up or an enclosing timeout fires. */
  readonly signal?: AbortSignal;
}

/**
 * Anything that runs an async operation under a policy: retry, circuit breaker, timeout, bulkhead,
 * or a composition of them ({@link wrap}). `B` bounds the results the policy accepts: unknown for
 * most, `T` for a `RetryPolicy<T>` that classifies results.
 */
export interface ResiliencePolicy<C extends PolicyContext = PolicyContext, B = unknown> {
  /** Runs `fn` under the policy. `signal` is the caller's: aborting it cancels the operation. */
  execute<T extends B>(fn: (context: C) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** @internal The context of a call: the caller's signal, when there is one. */
export function policyContext(signal: AbortSignal | undefined): PolicyContext {
  return signal === undefined ? {} : { signal };
}
