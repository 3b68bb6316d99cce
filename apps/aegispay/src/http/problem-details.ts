import { STATUS_CODES } from 'node:http';
import { AegisPayError, type JsonValue } from '@aegispay/domain';

/** One rejected field of a request: where, why (a stable code) and what to do. */
export interface FieldError {
  /** Path of the value: `amount`, `paymentMethod.token`, `metadata.order`, `header:Idempotency-Key`. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * An error response body (RFC 9457 "Problem Details for HTTP APIs"), served as
 * `application/problem+json`. `code` is the stable, machine-readable identity of the problem
 * (`type` is derived from it); `detail` is for people and may change.
 */
export interface ProblemDetails {
  /** `tag:aegispay.dev,2026:problems/<code>`: identifies the problem type; not meant to be fetched. */
  readonly type: string;
  /** The same for every occurrence of the type. */
  readonly title: string;
  readonly status: number;
  /** This occurrence: what was wrong and what to do. Never a stack trace, a secret or card data. */
  readonly detail: string;
  /** The request path the problem occurred on. */
  readonly instance: string;
  readonly code: string;
  /** The request id (also in the `X-Request-Id` response header): quote it to the operator. */
  readonly requestId: string;
  /** Field-level details, for validation problems. */
  readonly errors?: readonly FieldError[];
  /** True when the same request may succeed if retried later (with the same `Idempotency-Key`). */
  readonly retryable?: boolean;
  /** Further members some problem types carry (`refundable`, `gatewayCode`…). */
  readonly [extension: string]: unknown;
}

/** The media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The `type` URI of a problem code: a tag URI (RFC 4151), stable and deliberately not dereferenceable. */
export function problemType(code: string): string {
  return `tag:aegispay.dev,2026:problems/${code}`;
}

/**
 * Every problem type the API answers with, by code: its HTTP status and its title (RFC 9457: a
 * title does not change between occurrences). The OpenAPI document lists them; a test checks that
 * every problem answered has its type's status. (Domain validation answers `422` with the domain's
 * own code, `PAYMENT.*` or `MONEY.*`, titled by the status.)
 */
export const PROBLEM_TYPES: Readonly<Record<string, { readonly status: number; readonly title: string }>> = Object.freeze({
  'AUTH.MISSING_CREDENTIALS': { status: 401, title: 'Authentication required' },
  'AUTH.INVALID_API_KEY': { status: 401, title: 'Invalid API key' },
  'REQUEST.MALFORMED_JSON': { status: 400, title: 'Malformed JSON body' },
  'REQUEST.BODY_REQUIRED': { status: 400, title: 'Request body required' },
  'REQUEST.BODY_TOO_LARGE': { status: 413, title: 'Request body too large' },
  'REQUEST.TOO_DEEP': { status: 400, title: 'Request body nested too deeply' },
  'REQUEST.DUPLICATE_KEY': { status: 400, title: 'Duplicate key in the request body' },
  'REQUEST.INVALID_UNICODE': { status: 400, title: 'Invalid Unicode in the request body' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { status: 415, title: 'Unsupported media type' },
  'REQUEST.VALIDATION_FAILED': { status: 400, title: 'Invalid request' },
  'REQUEST.INVALID_CURSOR': { status: 400, title: 'Invalid pagination cursor' },
  'PAYMENT.CARD_DATA_DETECTED': { status: 400, title: 'Card data refused' },
  'PAYMENT.NOT_FOUND': { status: 404, title: 'Payment not found' },
  'PAYMENT.REFUND_EXCEEDS_CAPTURED': { status: 422, title: 'Refund exceeds the refundable amount' },
  'PAYMENT.ILLEGAL_TRANSITION': { status: 409, title: 'Not allowed in the payment’s status' },
  'IDEMPOTENCY.KEY_MISSING': { status: 400, title: 'Idempotency-Key header required' },
  'IDEMPOTENCY.KEY_INVALID': { status: 400, title: 'Invalid Idempotency-Key header' },
  'IDEMPOTENCY.KEY_REUSED': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'IDEMPOTENCY.REQUEST_IN_PROGRESS': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  'REFUND.REJECTED': { status: 422, title: 'Refund rejected by the gateway' },
  'REFUND.FAILED': { status: 503, title: 'Refund did not complete' },
  'LOCKING.CONFLICT': { status: 409, title: 'Concurrent update conflict' },
  'WEBHOOK.INVALID_SIGNATURE': { status: 400, title: 'Webhook signature invalid' },
  'WEBHOOK.STALE': { status: 400, title: 'Webhook too old' },
  'WEBHOOK.MALFORMED': { status: 400, title: 'Malformed webhook' },
  'WEBHOOK.UNKNOWN_CONNECTOR': { status: 404, title: 'No webhooks configured for this connector' },
  'WEBHOOK.DEFERRED': { status: 409, title: 'Webhook deferred' },
  'HTTP.NOT_FOUND': { status: 404, title: 'Not found' },
  'HTTP.BAD_REQUEST': { status: 400, title: 'Bad request' },
  'HTTP.HEADERS_TOO_LARGE': { status: 431, title: 'Request headers too large' },
  'HTTP.REQUEST_TIMEOUT': { status: 408, title: 'Request timeout' },
  'HTTP.EXPECTATION_FAILED': { status: 417, title: 'Expectation failed' },
  'SERVER.SHUTTING_DOWN': { status: 503, title: 'Server shutting down' },
  'SERVER.UNAVAILABLE': { status: 503, title: 'Service unavailable' },
  'SERVER.NOT_READY': { status: 503, title: 'Not ready' },
  'SERVER.INTERNAL_ERROR': { status: 500, title: 'Internal server error' },
});

/** Titles of the problem types, one per code (from {@link PROBLEM_TYPES}). */
export const PROBLEM_TITLES: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(Object.entries(PROBLEM_TYPES).map(([code, type]) => [code, type.title])));

/** What a {@link ProblemError} carries besides status, code and detail. */
export interface ProblemOptions {
  /** Defaults to the code's entry in {@link PROBLEM_TITLES}, else the status's reason phrase. */
  readonly title?: string;
  readonly errors?: readonly FieldError[];
  readonly retryable?: boolean;
  /** Response headers to send with the problem (`WWW-Authenticate`, `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extension members (JSON-safe values only). */
  readonly extensions?: Readonly<Record<string, JsonValue>>;
  readonly cause?: unknown;
}

/**
 * An error that already knows its HTTP answer. Thrown by the API layer (authentication,
 * validation, idempotency) and rendered by the problem filter as it is.
 */
export class ProblemError extends AegisPayError {
  readonly title: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly retryable: boolean | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, JsonValue>>;

  constructor(
    readonly status: number,
    code: string,
    detail: string,
    options: ProblemOptions = {},
  ) {
    super(code, detail, options.cause === undefined ? {} : { cause: options.cause });
    this.title = options.title ?? PROBLEM_TITLES[code] ?? STATUS_CODES[status] ?? 'Error';
    this.errors = options.errors;
    this.retryable = options.retryable;
    this.headers = Object.freeze({ ...(options.headers ?? {}) });
    this.extensions = Object.freeze({ ...(options.extensions ?? {}) });
  }

  /** The problem body for a request. */
  toProblem(instance: string, requestId: string): ProblemDetails {
    return {
      ...this.extensions,
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      detail: this.message,
      instance,
      code: this.code,
      requestId,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
      ...(this.retryable === undefined ? {} : { retryable: this.retryable }),
    };
  }
}
