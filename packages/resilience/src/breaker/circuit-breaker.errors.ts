import { AegisPayError, ValidationError } from '@aegispay/domain';
import type { RejectReason } from './circuit-breaker-events';
import type { CircuitBreakerHealth } from './circuit-breaker-health';
import { withoutStackTrace } from './stackless-error.kernel';

/**
 * The breaker refused the call without making it (`RESILIENCE.CIRCUIT_OPEN`): the gateway is
 * considered down, or half-open with every probe slot taken. Route the payment elsewhere or try
 * again after `health.timeUntilRetry` ms.
 */
export class CircuitBreakerOpenError extends AegisPayError {
  /** The breaker's health when it refused the call. */
  readonly health: CircuitBreakerHealth;
  /** The breaker's name (the gateway). */
  readonly gateway: string;
  /** Why the call was refused. */
  readonly reason: RejectReason;

  constructor(health: CircuitBreakerHealth, reason: RejectReason) {
    super('RESILIENCE.CIRCUIT_OPEN', message(health, reason), {
      details: { gateway: health.gateway, state: health.circuitState, reason, timeUntilRetry: health.timeUntilRetry },
    });
    this.health = health;
    this.gateway = health.gateway;
    this.reason = reason;
  }
}

/**
 * @internal A breaker's refusal, without a stack trace unless `stackTrace` (see
 * `CircuitBreakerOptions.rejectionStackTraces` and the kernel `withoutStackTrace`).
 */
export function refusalError(health: CircuitBreakerHealth, reason: RejectReason, stackTrace: boolean): CircuitBreakerOpenError {
  const refusal = (): CircuitBreakerOpenError => new CircuitBreakerOpenError(health, reason);
  return stackTrace ? refusal() : withoutStackTrace(refusal);
}

function message(health: CircuitBreakerHealth, reason: RejectReason): string {
  const subject = `Circuit breaker for ${health.gateway}`;
  switch (reason) {
    case 'ISOLATED':
      return `${subject} is isolated by an operator: calls fail fast until reset(). Route to another gateway.`;
    case 'HALF_OPEN_FULL':
      return `${subject} is HALF_OPEN and every probe slot is taken: failing fast. Route to another gateway or retry shortly.`;
    case 'OPEN':
      return `${subject} is OPEN: failing fast. Retry in ${Math.ceil(health.timeUntilRetry)} ms or route to another gateway.`;
  }
}

/** A breaker or manager snapshot given to `restore()` is malformed (`RESILIENCE.INVALID_SNAPSHOT`); `field` says where. */
export class InvalidSnapshotError extends ValidationError {
  constructor(field: string, message: string) {
    super('RESILIENCE.INVALID_SNAPSHOT', field, `Invalid circuit breaker snapshot at ${field}: ${message}.`);
  }
}
