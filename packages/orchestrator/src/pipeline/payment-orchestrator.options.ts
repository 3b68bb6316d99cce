import { OrchestratorConfigurationError } from '../errors/orchestrator.errors';

/** What to do after a soft decline (`insufficient_funds`, `issuer_unavailable`, …). */
export type SoftDeclinePolicy = 'FAIL' | 'FAILOVER';

/** Backoff between fail-over attempts. */
export interface FailoverBackoffOptions {
  /** Wait before the second attempt. Defaults to 50 ms. */
  readonly initialBackoffMs?: number;
  /** Cap on any wait. Defaults to 1 000 ms. */
  readonly maxBackoffMs?: number;
  /** Growth per attempt. Defaults to 2. */
  readonly backoffMultiplier?: number;
  /** Proportional jitter. Defaults to 0.2 (±20 %). */
  readonly jitterFactor?: number;
}

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
  /** Backoff between fail-over attempts. */
  readonly failoverBackoff?: FailoverBackoffOptions;
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
  /** How long an idempotency key is kept. Defaults to 24 hours (86 400 000 ms). */
  readonly idempotencyTtlMs?: number;
}

/** The options with every default applied. */
export interface ResolvedOrchestratorOptions {
  readonly gatewayTimeoutMs: number;
  readonly maxAttempts: number;
  readonly maxTries: number;
  readonly failoverBackoff: Required<FailoverBackoffOptions>;
  readonly softDeclines: SoftDeclinePolicy;
  readonly statusCheck: Required<StatusCheckOptions>;
  readonly minHealthScore: number | undefined;
  readonly idempotencyTtlMs: number;
}

/** The defaults of {@link PaymentOrchestratorOptions}. */
export const ORCHESTRATOR_DEFAULTS = Object.freeze({
  gatewayTimeoutMs: 10_000,
  maxAttempts: 3,
  failoverBackoff: Object.freeze({ initialBackoffMs: 50, maxBackoffMs: 1_000, backoffMultiplier: 2, jitterFactor: 0.2 }),
  softDeclines: 'FAIL' as SoftDeclinePolicy,
  statusCheck: Object.freeze({ attempts: 3, intervalMs: 500, timeoutMs: 5_000, clockSkewMs: 2_000 }),
  idempotencyTtlMs: 86_400_000,
});

/** Validates options and applies defaults. @throws OrchestratorConfigurationError naming the bad option. */
export function resolveOrchestratorOptions(options: PaymentOrchestratorOptions = {}): ResolvedOrchestratorOptions {
  // A group that is not an object would spread into nothing and silently leave every default in force.
  objectOption('options', options);
  const backoff = { ...ORCHESTRATOR_DEFAULTS.failoverBackoff, ...objectOption('failoverBackoff', options.failoverBackoff) };
  const statusCheck = { ...ORCHESTRATOR_DEFAULTS.statusCheck, ...objectOption('statusCheck', options.statusCheck) };
  const maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? ORCHESTRATOR_DEFAULTS.maxAttempts);
  const resolved: ResolvedOrchestratorOptions = {
    gatewayTimeoutMs: positive('gatewayTimeoutMs', options.gatewayTimeoutMs ?? ORCHESTRATOR_DEFAULTS.gatewayTimeoutMs),
    maxAttempts,
    maxTries: positiveInteger('maxTries', options.maxTries ?? 2 * maxAttempts),
    failoverBackoff: {
      initialBackoffMs: nonNegative('failoverBackoff.initialBackoffMs', backoff.initialBackoffMs),
      maxBackoffMs: nonNegative('failoverBackoff.maxBackoffMs', backoff.maxBackoffMs),
      backoffMultiplier: atLeastOne('failoverBackoff.backoffMultiplier', backoff.backoffMultiplier),
      jitterFactor: fraction('failoverBackoff.jitterFactor', backoff.jitterFactor),
    },
    softDeclines: softDeclinePolicy(options.softDeclines ?? ORCHESTRATOR_DEFAULTS.softDeclines),
    statusCheck: {
      attempts: positiveInteger('statusCheck.attempts', statusCheck.attempts),
      intervalMs: nonNegative('statusCheck.intervalMs', statusCheck.intervalMs),
      timeoutMs: positive('statusCheck.timeoutMs', statusCheck.timeoutMs),
      clockSkewMs: nonNegative('statusCheck.clockSkewMs', statusCheck.clockSkewMs),
    },
    minHealthScore: options.minHealthScore === undefined ? undefined : fraction('minHealthScore', options.minHealthScore),
    idempotencyTtlMs: positive('idempotencyTtlMs', options.idempotencyTtlMs ?? ORCHESTRATOR_DEFAULTS.idempotencyTtlMs),
  };
  if (resolved.maxTries < resolved.maxAttempts) {
    throw new OrchestratorConfigurationError('maxTries', `maxTries (${resolved.maxTries}) must be at least maxAttempts (${resolved.maxAttempts}).`);
  }
  if (resolved.failoverBackoff.maxBackoffMs < resolved.failoverBackoff.initialBackoffMs) {
    throw new OrchestratorConfigurationError('failoverBackoff.maxBackoffMs', 'failoverBackoff.maxBackoffMs must not be below initialBackoffMs.');
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

function objectOption<T extends object>(field: string, value: T | undefined): T | Record<string, never> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OrchestratorConfigurationError(field, `${field} must be an object of options, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}.`);
  }
  return value;
}

function check(field: string, value: unknown, valid: (n: number) => boolean, expectation: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new OrchestratorConfigurationError(field, `${field} must be ${expectation}, got ${String(value)}.`);
  }
  return value;
}
const positive = (field: string, value: unknown): number => check(field, value, (n) => n > 0, 'a number greater than 0');
const nonNegative = (field: string, value: unknown): number => check(field, value, (n) => n >= 0, 'a number ≥ 0');
const atLeastOne = (field: string, value: unknown): number => check(field, value, (n) => n >= 1, 'a number ≥ 1');
const fraction = (field: string, value: unknown): number => check(field, value, (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
const positiveInteger = (field: string, value: unknown): number =>
  check(field, value, (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1');

function softDeclinePolicy(value: unknown): SoftDeclinePolicy {
  if (value !== 'FAIL' && value !== 'FAILOVER') {
    throw new OrchestratorConfigurationError('softDeclines', `softDeclines must be "FAIL" or "FAILOVER", got ${String(value)}.`);
  }
  return value;
}
