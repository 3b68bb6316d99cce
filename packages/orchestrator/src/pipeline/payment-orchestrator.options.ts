import { DEFAULT_IDEMPOTENCY_TTL_MS } from '@aegispay/domain';
import type { BackoffOptions } from '@aegispay/resilience';
import { orchestratorOptionChecks } from '../errors/orchestrator.errors';

/** What to do after a soft decline (`insufficient_funds`, `issuer_unavailable`, …). */
export type SoftDeclinePolicy = 'FAIL' | 'FAILOVER';

/** How an unknown outcome is resolved before anything else happens. */
export interface StatusCheckOptions {
  /** `getStatus` calls made while the gateway answers `PENDING` or cannot answer. Defaults to 3. */
  readonly attempts?: number;
  /** Wait before each call after the first. Defaults to 500 ms. */
  readonly intervalMs?: number;
  /** Deadline of each `getStatus` call. Defaults to 5 000 ms. */
  readonly timeoutMs?: number;
  /**
   * How far a gateway's clock may run behind ours. Every charge carries a deadline (the moment
   * our own deadline fires) after which the gateway must not act on it; a `NOT_FOUND` is trusted —
   * and another gateway tried — only once the deadline plus this margin has passed, because before
   * that the request may still be in transit and be charged. Defaults to 2 000 ms.
   */
  readonly clockSkewMs?: number;
}

/** Options of the payment pipeline. */
export interface PaymentOrchestratorOptions {
  /** Deadline of one gateway charge; past it the outcome is unknown. Defaults to 10 000 ms. */
  readonly gatewayTimeoutMs?: number;
  /** Gateway calls per payment that may have reached a gateway, the first included. Defaults to 3. */
  readonly maxAttempts?: number;
  /**
   * Gateway calls per payment of any kind, including those refused before anything was sent
   * (breaker open, connection refused, a retry-safe 503). Candidates are tried in turn, again from
   * the top once the list is exhausted, until `maxAttempts` calls were sent or `maxTries` made.
   * Defaults to twice `maxAttempts`.
   */
  readonly maxTries?: number;
  /**
   * Backoff between fail-over attempts. Defaults to `initialBackoffMs` 50 ms, `maxBackoffMs`
   * 1 000 ms, `backoffMultiplier` 2, `jitterFactor` 0.2 (±20 %).
   */
  readonly failoverBackoff?: BackoffOptions;
  /**
   * `FAIL` (default): a soft decline ends the payment, as the issuer answered. `FAILOVER`: try the
   * next gateway (some soft declines, such as `issuer_unavailable`, succeed at another acquirer).
   * A hard decline always ends the payment.
   */
  readonly softDeclines?: SoftDeclinePolicy;
  /** Resolution of unknown outcomes. */
  readonly statusCheck?: StatusCheckOptions;
  /**
   * Minimum breaker health score for a gateway to be routed to. Defaults to each breaker's
   * `minHealthScore` (0.5 unless configured).
   */
  readonly minHealthScore?: number;
  /** How long an idempotency key is kept. Defaults to `DEFAULT_IDEMPOTENCY_TTL_MS` (24 hours). */
  readonly idempotencyTtlMs?: number;
  /**
   * How long the id of an applied gateway notification (webhook) is remembered, so that a delivery
   * of it heard again is answered `DUPLICATE`. Defaults to 30 days: PSPs retry for up to days.
   */
  readonly notificationTtlMs?: number;
}

/** The options with every default applied. */
export interface ResolvedOrchestratorOptions {
  readonly gatewayTimeoutMs: number;
  readonly maxAttempts: number;
  readonly maxTries: number;
  readonly failoverBackoff: Required<BackoffOptions>;
  readonly softDeclines: SoftDeclinePolicy;
  readonly statusCheck: Required<StatusCheckOptions>;
  readonly minHealthScore: number | undefined;
  readonly idempotencyTtlMs: number;
  readonly notificationTtlMs: number;
}

/** The defaults of {@link PaymentOrchestratorOptions}. */
export const ORCHESTRATOR_DEFAULTS = Object.freeze({
  gatewayTimeoutMs: 10_000,
  maxAttempts: 3,
  failoverBackoff: Object.freeze({ initialBackoffMs: 50, maxBackoffMs: 1_000, backoffMultiplier: 2, jitterFactor: 0.2 }),
  softDeclines: 'FAIL' as SoftDeclinePolicy,
  statusCheck: Object.freeze({ attempts: 3, intervalMs: 500, timeoutMs: 5_000, clockSkewMs: 2_000 }),
  idempotencyTtlMs: DEFAULT_IDEMPOTENCY_TTL_MS,
  notificationTtlMs: 30 * 86_400_000,
});

/** @internal The checks of `PaymentOrchestrator`'s options and dependencies. */
export const orchestratorChecks = orchestratorOptionChecks('PaymentOrchestrator');

/** Validates options and applies defaults. @throws OrchestratorConfigurationError (an `InvalidOptionError`, `ORCHESTRATOR.INVALID_OPTION`) naming the bad option. */
export function resolveOrchestratorOptions(options: PaymentOrchestratorOptions = {}): ResolvedOrchestratorOptions {
  const defaults = ORCHESTRATOR_DEFAULTS;
  // A group that is not an object would spread into nothing and silently leave every default in force.
  orchestratorChecks.object('options', options, undefined);
  const backoff = orchestratorChecks.object('failoverBackoff', options.failoverBackoff, {});
  const statusCheck = orchestratorChecks.object('statusCheck', options.statusCheck, {});
  const maxAttempts = orchestratorChecks.integer('maxAttempts', options.maxAttempts, defaults.maxAttempts, { min: 1 });
  const resolved: ResolvedOrchestratorOptions = {
    gatewayTimeoutMs: orchestratorChecks.number('gatewayTimeoutMs', options.gatewayTimeoutMs, defaults.gatewayTimeoutMs, { above: 0 }),
    maxAttempts,
    maxTries: orchestratorChecks.integer('maxTries', options.maxTries, 2 * maxAttempts, { min: maxAttempts }),
    failoverBackoff: {
      initialBackoffMs: orchestratorChecks.number('failoverBackoff.initialBackoffMs', backoff.initialBackoffMs, defaults.failoverBackoff.initialBackoffMs, { min: 0 }),
      maxBackoffMs: orchestratorChecks.number('failoverBackoff.maxBackoffMs', backoff.maxBackoffMs, defaults.failoverBackoff.maxBackoffMs, { min: 0 }),
      backoffMultiplier: orchestratorChecks.number('failoverBackoff.backoffMultiplier', backoff.backoffMultiplier, defaults.failoverBackoff.backoffMultiplier, { min: 1 }),
      jitterFactor: orchestratorChecks.rate('failoverBackoff.jitterFactor', backoff.jitterFactor, defaults.failoverBackoff.jitterFactor),
    },
    softDeclines: orchestratorChecks.oneOf('softDeclines', options.softDeclines, defaults.softDeclines, ['FAIL', 'FAILOVER']),
    statusCheck: {
      attempts: orchestratorChecks.integer('statusCheck.attempts', statusCheck.attempts, defaults.statusCheck.attempts, { min: 1 }),
      intervalMs: orchestratorChecks.number('statusCheck.intervalMs', statusCheck.intervalMs, defaults.statusCheck.intervalMs, { min: 0 }),
      timeoutMs: orchestratorChecks.number('statusCheck.timeoutMs', statusCheck.timeoutMs, defaults.statusCheck.timeoutMs, { above: 0 }),
      clockSkewMs: orchestratorChecks.number('statusCheck.clockSkewMs', statusCheck.clockSkewMs, defaults.statusCheck.clockSkewMs, { min: 0 }),
    },
    minHealthScore: options.minHealthScore === undefined ? undefined : orchestratorChecks.rate('minHealthScore', options.minHealthScore, undefined),
    idempotencyTtlMs: orchestratorChecks.number('idempotencyTtlMs', options.idempotencyTtlMs, defaults.idempotencyTtlMs, { above: 0 }),
    notificationTtlMs: orchestratorChecks.number('notificationTtlMs', options.notificationTtlMs, defaults.notificationTtlMs, { above: 0 }),
  };
  const { initialBackoffMs, maxBackoffMs } = resolved.failoverBackoff;
  if (maxBackoffMs < initialBackoffMs) {
    throw orchestratorChecks.invalid('failoverBackoff.maxBackoffMs', `must not be below initialBackoffMs (${initialBackoffMs})`, maxBackoffMs);
  }
  return resolved;
}

/**
 * The longest a payment can legitimately stay in `PROCESSING` under these options: every sent
 * attempt timing out, every status check exhausted, a backoff at its cap before every further try. Recovery must wait longer
 * than this before it treats a payment as stuck.
 */
export function worstCaseProcessingMs(options: ResolvedOrchestratorOptions): number {
  const { attempts, timeoutMs, intervalMs, clockSkewMs } = options.statusCheck;
  // Checks, the waits between them, and one more check after waiting out the deadline's skew margin
  // (to the millisecond after it).
  const statusChecks = (attempts + 1) * timeoutMs + (attempts - 1) * intervalMs + clockSkewMs + 1;
  return options.maxAttempts * (options.gatewayTimeoutMs + statusChecks) + (options.maxTries - 1) * options.failoverBackoff.maxBackoffMs;
}
