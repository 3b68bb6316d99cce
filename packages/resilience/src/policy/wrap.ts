import { InvalidOptionError } from '../options/invalid-option.error';
import type { PolicyContext, ResiliencePolicy } from './resilience-policy';

/**
 * Policies composed outermost first: `wrap(retry, breaker, timeout)` retries calls that go through
 * the breaker, each under its own timeout (cockatiel's `wrap`). The operation receives the contexts
 * of every layer merged, inner over outer: `attempt` from a retry, and the innermost `signal`
 * (a timeout's signal, which the caller's signal also aborts).
 */
export class WrappedPolicy implements ResiliencePolicy<PolicyContext & { readonly attempt?: number }> {
  /** The composed policies, outermost first. */
  readonly policies: readonly ResiliencePolicy[];

  constructor(policies: readonly ResiliencePolicy[]) {
    if (policies.length === 0) throw new InvalidOptionError('policies', 'give at least one policy to wrap', policies.length);
    for (const [i, policy] of policies.entries()) {
      if (typeof policy?.execute !== 'function') throw new InvalidOptionError(`policies[${i}]`, 'must have an execute(fn, signal) method', policy);
    }
    this.policies = [...policies];
  }

  execute<T>(fn: (context: PolicyContext & { readonly attempt?: number }) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = (index: number, context: PolicyContext): Promise<T> => {
      const policy = this.policies[index];
      if (policy === undefined) return fn(context);
      return policy.execute((inner) => run(index + 1, { ...context, ...inner }), context.signal);
    };
    return run(0, signal === undefined ? {} : { signal });
  }
}

/** Composes policies, outermost first (see {@link WrappedPolicy}). */
export function wrap(...policies: ResiliencePolicy[]): WrappedPolicy {
  return new WrappedPolicy(policies);
}
