import { AegisPayError } from '../errors/aegispay.error';

/** An idempotency key was reused with a different request body (`IDEMPOTENCY.KEY_REUSED`). */
export class IdempotencyKeyReuseError extends AegisPayError {
  constructor(
    readonly merchantId: string,
    readonly key: string,
  ) {
    super(
      'IDEMPOTENCY.KEY_REUSED',
      `Idempotency key "${key}" was already used with a different request; use a new key for a new request.`,
      { details: { merchantId, key } },
    );
  }
}

/**
 * `complete` or `release` was called for an idempotency key that is not in progress
 * (`IDEMPOTENCY.NOT_IN_PROGRESS`): it was never begun, was already completed or released, or
 * expired and was taken over by a later request.
 */
export class IdempotencyKeyNotInProgressError extends AegisPayError {
  constructor(
    readonly merchantId: string,
    readonly key: string,
  ) {
    super(
      'IDEMPOTENCY.NOT_IN_PROGRESS',
      `Idempotency key "${key}" of merchant ${merchantId} is not in progress: call begin() first and complete or release it once.`,
      { details: { merchantId, key } },
    );
  }
}
