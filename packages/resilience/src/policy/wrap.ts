import type { RetryPolicy } from '../retry/retry-policy';
import { policyContext, type PolicyContext, type ResiliencePolicy } from './resilience-policy';
import { check } from '../resilience-options';

/**
 * Policies composed outermost first: `wrap(retry, breaker, timeout)` retries calls that go through
 * the breaker, each under its own timeout (cockatiel's `wrap`). The operation receives the contexts
 * of every layer merged, inner over outer: `attempt` from a retry, and the innermost `signal`
 * (a timeout's signal, which the caller's signal also aborts).
 */
export class WrappedPolicy<B = unknown> implements ResiliencePolicy<PolicyContext & { readonly attempt?: number }, B> {
  /** The composed policies, outermost first. */
  readonly policies: readonly ResiliencePolicy<PolicyContext, B>[];

  constructor(policies: readonly ResiliencePolicy<PolicyContext, B>[]) {
    if (policies.length === 0) throw check.invalid('policies', 'must list at least one policy', policies.length);
    for (const [i, policy] of policies.entries()) {
      if (typeof policy?.execute !== 'function') throw check.invalid(`policies[${i}]`, 'must have an execute(fn, signal) method', policy);
    }
    this.policies = [...policies];
  }

  /** Runs `fn` through every policy, outermost first; `signal` is the caller's. */
  execute<T extends B>(fn: (context: PolicyContext & { readonly attempt?: number }) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = (index: number, context: PolicyContext): Promise<T> => {
      const policy = this.policies[index];
      if (policy === undefined) return fn(context);
      return policy.execute((inner) => run(index + 1, { ...context, ...inner }), context.signal);
    };
    return run(0, policyContext(signal));
  }
}

/** The results a policy accepts: `T` for a `RetryPolicy<T>` or a `WrappedPolicy<T>`, unknown for the others. */
export type PolicyResultBound<P> = P extends RetryPolicy<infer T> ? T : P extends WrappedPolicy<infer T> ? T : unknown;

/** The results every policy of a tuple accepts (the intersection of their bounds). */
export type CompositeResultBound<P extends readonly unknown[]> = (
  P[number] extends infer Q ? (Q extends unknown ? (bound: PolicyResultBound<Q>) => void : never) : never
) extends (bound: infer I) => void
  ? I
  : unknown;

/**
 * Composes policies, outermost first (see {@link WrappedPolicy}). A `RetryPolicy<T>` that
 * classifies results bounds the composition's results to `T`.
 */
export function wrap<P extends readonly ResiliencePolicy<PolicyContext, never>[]>(...policies: P): WrappedPolicy<CompositeResultBound<P>> {
  return new WrappedPolicy(policies as unknown as readonly ResiliencePolicy<PolicyContext, CompositeResultBound<P>>[]);
}
