import Stripe from 'stripe';
import { redactSecrets } from './redact-secrets';

/**
 * What a failed Stripe call means for the money, whatever the operation (charge, refund, lookup).
 * Each operation turns it into its own result; the table is in the package README.
 */
export type StripeFailure =
  /** 402 `card_error`: the issuer or Stripe declined; the result is saved under the key. */
  | { readonly kind: 'DECLINED'; readonly code: string; readonly message: string }
  /** 400/404 `invalid_request_error`: refused for good, nothing done (no such PaymentIntent, nothing left to refund…). */
  | { readonly kind: 'REFUSED'; readonly code: string; readonly message: string }
  /** 400 `idempotency_error`: the key was first used with other parameters; the first request stands. */
  | { readonly kind: 'IDEMPOTENCY_CONFLICT'; readonly message: string }
  /** 409: another request with the same key is still executing at Stripe. */
  | { readonly kind: 'IN_FLIGHT'; readonly message: string }
  /** Nothing was done (429, 503, `Stripe-Should-Retry: true`, 401, 403): safe to try again or elsewhere when `retryable`. */
  | { readonly kind: 'FAILED'; readonly code: string; readonly retryable: boolean; readonly message: string }
  /** The request may have been carried out (a timeout or dropped answer after sending, a 500 Stripe saved). */
  | { readonly kind: 'INDETERMINATE'; readonly reason: string }
  /** The connection could not be opened: the request never left. */
  | { readonly kind: 'NOT_SENT'; readonly errno: string };

/** Socket errors raised before any byte of the request can have left this machine. */
const NOT_SENT_ERRNOS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Classifies an error thrown by the Stripe SDK; `undefined` for anything else (a bug, which the
 * caller rethrows). `attempts` is how many HTTP requests the SDK made for the call: it retries a
 * closed connection once on its own, so a connection refused on that retry does not prove that the
 * first attempt never arrived.
 */
export function classifyStripeFailure(error: unknown, attempts: number): StripeFailure | undefined {
  if (!(error instanceof Stripe.errors.StripeError)) return undefined;
  const message = redactSecrets(error.message);
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const errno = errnoOf(error.detail);
    if (errno !== undefined && NOT_SENT_ERRNOS.has(errno) && attempts <= 1) return { kind: 'NOT_SENT', errno };
    return { kind: 'INDETERMINATE', reason: `no answer from Stripe after sending: ${message}${errno === undefined ? '' : ` (${errno})`}` };
  }
  const status = error.statusCode;
  const code = error.code ?? error.rawType ?? (status === undefined ? 'api_error' : `http_${status}`);
  if (status === undefined) return { kind: 'INDETERMINATE', reason: `unreadable answer from Stripe: ${message}` };
  if (error instanceof Stripe.errors.StripeCardError || status === 402) {
    // The SDK gives a card error without a decline code an empty `decline_code`.
    return { kind: 'DECLINED', code: nonEmpty(error.decline_code) ?? nonEmpty(error.code) ?? 'card_declined', message };
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) return { kind: 'IDEMPOTENCY_CONFLICT', message };
  if (status === 409) return { kind: 'IN_FLIGHT', message };
  const shouldRetry = error.headers?.['stripe-should-retry'];
  if (status === 429) return { kind: 'FAILED', code, retryable: shouldRetry !== 'false', message };
  if (status === 401 || status === 403) return { kind: 'FAILED', code, retryable: false, message };
  if (status >= 400 && status < 500) return { kind: 'REFUSED', code, message };
  // Stripe: "Treat the result of a 500 request as indeterminate" (docs.stripe.com/error-handling).
  // Only an answer that says the request was not carried out is a failure with nothing done.
  if (shouldRetry === 'true' || (status === 503 && shouldRetry !== 'false')) return { kind: 'FAILED', code, retryable: true, message };
  return { kind: 'INDETERMINATE', reason: `Stripe answered ${status} (${code}) and may have carried the request out: ${message}` };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function errnoOf(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const code = (detail as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
