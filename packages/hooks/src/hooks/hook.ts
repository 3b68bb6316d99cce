/** A value or a promise of it: hooks may answer synchronously or asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/** The eight extension points, in the order the orchestrator calls them (events and metrics throughout). */
export const HOOK_TYPES = [
  'PRE_VALIDATION',
  'ENRICHMENT',
  'FRAUD_CHECK',
  'ROUTING_STRATEGY',
  'ERROR_HANDLER',
  'EVENT_LISTENER',
  'METRICS_COLLECTOR',
  'POST_VALIDATION',
] as const;

/** One of the eight extension points. */
export type HookType = (typeof HOOK_TYPES)[number];

/**
 * What happens when a hook throws, times out or returns something malformed.
 *
 * - `FAIL_CLOSED`: the failure counts against the payment. A validation hook adds an error (the
 *   payment is invalid), a fraud check counts as a deny with risk 1; in the other stages the
 *   `execute*` call rejects with `HookFailedError`.
 * - `FAIL_OPEN`: the hook is skipped as if it had not been registered; the failure is listed in the
 *   outcome's `failures` and passed to the executor's `onHookFailure` reporter.
 */
export type FailurePolicy = 'FAIL_CLOSED' | 'FAIL_OPEN';

/** How a hook failed. */
export type FailureKind = 'ERROR' | 'TIMEOUT' | 'INVALID_RESULT';

/**
 * The policy each type gets when neither the hook nor its registration names one: gates
 * (validation, fraud) fail closed, so a broken check never lets a payment through; the others
 * fail open, so a broken listener, collector, enrichment, routing strategy or error handler never
 * costs a payment.
 */
export const DEFAULT_FAILURE_POLICIES: Readonly<Record<HookType, FailurePolicy>> = Object.freeze({
  PRE_VALIDATION: 'FAIL_CLOSED',
  POST_VALIDATION: 'FAIL_CLOSED',
  FRAUD_CHECK: 'FAIL_CLOSED',
  ENRICHMENT: 'FAIL_OPEN',
  ROUTING_STRATEGY: 'FAIL_OPEN',
  ERROR_HANDLER: 'FAIL_OPEN',
  EVENT_LISTENER: 'FAIL_OPEN',
  METRICS_COLLECTOR: 'FAIL_OPEN',
});

/**
 * The fields every hook has. The registry reads them once, at registration: changing a hook
 * object's `priority` or `enabled` afterwards has no effect (use `registry.enable`/`disable`).
 */
export interface HookBase {
  /** Unique across the registry; reported with every result and failure. */
  readonly name: string;
  /** Higher runs first; equal priorities run in registration order. Any finite number. */
  readonly priority: number;
  /** Registered disabled when false; switch at run time with `registry.enable(name)`. */
  readonly enabled: boolean;
  /** Time the hook may take, in ms. Defaults to the executor's `defaultTimeoutMs` (5 000 ms). */
  readonly timeoutMs?: number;
  /** What a failure of this hook means. Defaults to {@link DEFAULT_FAILURE_POLICIES} for its type. */
  readonly failurePolicy?: FailurePolicy;
}
