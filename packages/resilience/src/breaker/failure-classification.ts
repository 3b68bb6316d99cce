import { AegisPayError, isTechnicalFailure, type ChargeResult } from '@aegispay/domain';

const CHARGE_OUTCOMES = new Set(['APPROVED', 'DECLINED', 'REQUIRES_ACTION', 'PENDING', 'TECHNICAL_FAILURE', 'UNKNOWN']);

/** True when `value` has the shape of a domain `ChargeResult` (an object whose `outcome` is one of its six). */
export function isChargeResult(value: unknown): value is ChargeResult {
  return typeof value === 'object' && value !== null && CHARGE_OUTCOMES.has((value as { outcome?: unknown }).outcome as string);
}

/**
 * The default result classifier: a `ChargeResult` that is a `TECHNICAL_FAILURE` or `UNKNOWN` is a
 * failure (the domain's `isTechnicalFailure`); approvals, declines and charges the gateway holds
 * (pending, awaiting the customer) are successes — the gateway answered; any other value is a success.
 */
export function defaultIsFailureResult(result: unknown): boolean {
  return isChargeResult(result) && isTechnicalFailure(result);
}

/** Error codes that report another policy's refusal, not the downstream's health. */
const REFUSALS = new Set(['RESILIENCE.CIRCUIT_OPEN', 'RESILIENCE.BULKHEAD_FULL']);

/**
 * The default error classifier: every thrown error is a failure, except refusals by another
 * resilience policy inside this one (a nested breaker's `CircuitBreakerOpenError`, a bulkhead's
 * `BulkheadRejectedError`): the call never reached the gateway.
 */
export function defaultIsFailure(error: unknown): boolean {
  return !(AegisPayError.is(error) && REFUSALS.has(error.code));
}

/**
 * @internal Whether a thrown `error` counts against the gateway: never once the caller's `signal`
 * aborted (the caller gave up, which says nothing about the gateway); a classifier that throws counts it.
 */
export function failedError(isFailure: (error: unknown) => boolean, error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal !== undefined && signal.aborted) return false;
  try {
    return isFailure(error) === true;
  } catch {
    return true;
  }
}
