import { AegisPayError, ValidationError } from '@aegispay/domain';
import { HttpException } from '@nestjs/common';
import { ProblemError, type FieldError } from './problem-details';

/** How an error is answered, and whether it was expected (an unexpected one is logged with its stack). */
export interface MappedProblem {
  readonly problem: ProblemError;
  readonly unexpected: boolean;
}

/** Seconds a client should wait before retrying a request that failed for a transient reason. */
export const RETRY_AFTER_SECONDS = 2;

const retryLater = { retryable: true, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } } as const;

/**
 * Maps any error to its problem response, by the stable `code` of AegisPay errors (never by
 * message or class identity, so errors from a second copy of a package map the same way).
 * Domain messages are written for people and never carry card data; anything unrecognised is a
 * 500 whose detail reveals nothing but the request id.
 */
export function mapErrorToProblem(error: unknown): MappedProblem {
  if (error instanceof ProblemError) return expected(error);
  if (AegisPayError.is(error)) {
    const mapped = mapDomainError(error);
    if (mapped !== undefined) return expected(mapped);
  }
  if (isAbort(error)) {
    return expected(
      new ProblemError(
        503,
        'SERVER.SHUTTING_DOWN',
        'The server stopped waiting for this request while shutting down. A payment already sent to a gateway is completed by recovery, never charged twice: retry with the same Idempotency-Key to get its answer.',
        retryLater,
      ),
    );
  }
  if (error instanceof HttpException) return expected(mapHttpException(error));
  return {
    unexpected: true,
    problem: new ProblemError(
      500,
      'SERVER.INTERNAL_ERROR',
      'An unexpected error occurred. Retrying with the same Idempotency-Key never charges twice; if it persists, quote the request id to the operator.',
      { retryable: true, cause: error },
    ),
  };
}

function expected(problem: ProblemError): MappedProblem {
  return { problem, unexpected: false };
}

function mapDomainError(error: AegisPayError): ProblemError | undefined {
  const { code } = error;
  const details = error.details;
  switch (code) {
    case 'PAYMENT.CARD_DATA_DETECTED':
      return new ProblemError(400, code, error.message, { errors: fieldErrorsOf(error), cause: error });
    case 'PAYMENT.NOT_FOUND':
      // The same words whether the payment is missing or another merchant's.
      return new ProblemError(404, code, 'No payment with this id exists for your merchant account.', { cause: error });
    case 'IDEMPOTENCY.KEY_REUSED':
      return new ProblemError(
        422,
        code,
        'This Idempotency-Key was already used with a different request body. Send a new key for a new request; resend the original body to get the original answer.',
        { cause: error },
      );
    case 'PAYMENT.REFUND_EXCEEDS_CAPTURED':
      return new ProblemError(422, code, error.message, {
        cause: error,
        extensions: pick(details, ['requested', 'refundable', 'currency']),
      });
    case 'PAYMENT.ILLEGAL_TRANSITION':
      return new ProblemError(409, code, error.message, { cause: error, extensions: pick(details, ['from', 'to']) });
    case 'REFUND.KEY_REUSED':
      // Idempotency-Key semantics, as for payments: the key names one refund.
      return new ProblemError(
        422,
        'IDEMPOTENCY.KEY_REUSED',
        'This Idempotency-Key was already used for a different refund (another amount or reason) on this payment. Send a new key for a new refund; resend the original body to get the original answer.',
        { cause: error },
      );
    case 'REFUND.IN_PROGRESS':
      return new ProblemError(
        409,
        'IDEMPOTENCY.REQUEST_IN_PROGRESS',
        'A refund with this Idempotency-Key is still being processed. Retry later with the same key and body to get its answer.',
        { ...retryLater, cause: error },
      );
    case 'REFUND.REJECTED':
      return new ProblemError(422, code, error.message, { cause: error, extensions: pick(details, ['gateway', 'gatewayCode']) });
    case 'REFUND.FAILED':
      return new ProblemError(503, code, error.message, { ...retryLater, cause: error, extensions: pick(details, ['gateway']) });
    case 'LOCKING.MAX_RETRIES_EXCEEDED':
    case 'LOCKING.VERSION_CONFLICT':
      return new ProblemError(
        409,
        'LOCKING.CONFLICT',
        'The payment was being changed by other requests at the same moment. Retry with the same Idempotency-Key.',
        { ...retryLater, cause: error },
      );
    case 'ORCHESTRATOR.UNKNOWN_GATEWAY':
      return new ProblemError(503, 'SERVER.UNAVAILABLE', 'The gateway that captured this payment is not configured on this server; try again later.', {
        ...retryLater,
        cause: error,
      });
    default:
      break;
  }
  // Validation of what the merchant sent (amount, currency, fields, metadata): semantically invalid.
  if (ValidationError.is(error) && (code.startsWith('PAYMENT.') || code.startsWith('MONEY.'))) {
    return new ProblemError(422, code, error.message, { errors: fieldErrorsOf(error), cause: error });
  }
  return undefined;
}

function mapHttpException(error: HttpException): ProblemError {
  const status = error.getStatus();
  // Nest's own messages echo the path; answer with our own words instead.
  if (status === 404) {
    return new ProblemError(404, 'HTTP.NOT_FOUND', 'There is no endpoint for this method and path. The endpoints are listed in the README (HTTP API).');
  }
  if (status === 400) return new ProblemError(400, 'HTTP.BAD_REQUEST', 'The request could not be understood (a malformed URL or header).');
  return new ProblemError(status, `HTTP.${status}`, 'The request could not be served.');
}

function fieldErrorsOf(error: AegisPayError): FieldError[] {
  const field = ValidationError.is(error) ? error.field : '';
  return [{ field, code: error.code, message: error.message }];
}

function pick(details: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, string | number | boolean | null> {
  const picked: Record<string, string | number | boolean | null> = {};
  for (const key of keys) {
    const value = details[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) picked[key] = value;
  }
  return picked;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
