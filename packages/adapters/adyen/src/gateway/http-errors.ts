import { HttpClientException } from '@adyen/api-library';

/** How AegisPay reads an Adyen error answer. */
export type AdyenErrorVerdict =
  /** Adyen is still processing an earlier request with this idempotency key (error code 704). */
  | { readonly kind: 'IN_PROGRESS'; readonly message: string }
  /** Refused before anything happened, and sending it again will not help (401, 403, 400, 422…). */
  | { readonly kind: 'REFUSED'; readonly code: string; readonly message: string; readonly validation: boolean }
  /** Refused before anything happened; trying again later is fine (429, 502, 503, any `Transient-Error: true`). */
  | { readonly kind: 'RETRYABLE'; readonly code: string; readonly message: string }
  /** A server error Adyen does not mark transient: the request may have been acted upon. */
  | { readonly kind: 'MAYBE_PROCESSED'; readonly message: string };

/** What one HTTP status means, when the body does not say otherwise. */
interface StatusRule {
  readonly kind: 'REFUSED' | 'RETRYABLE' | 'MAYBE_PROCESSED';
  readonly code: string;
  /** What to check or do, appended to Adyen's own message. */
  readonly advice: string;
}

/**
 * Adyen HTTP status → verdict. Sources: Adyen docs "Response handling" and "API idempotency"
 * (docs.adyen.com/development-resources/response-handling, /api-idempotency):
 * - a `Transient-Error: true` header marks "a temporary error that has no side effects and can be
 *   retried" — always RETRYABLE, whatever the status;
 * - error code 704 ("request already processed or in progress", 409 or 422) — IN_PROGRESS;
 * - a 500 of `errorType` validation, configuration or security is a refused request (Adyen answers
 *   some missing fields with a 500) — REFUSED;
 * - any other 500 or a 504 without the transient header: Adyen says not to retry, because the
 *   message may have reached the issuer and been acted upon (its IOEXCEPTION_RECEIVED case) —
 *   MAYBE_PROCESSED, an unknown outcome to resolve, never a failover.
 */
const STATUS_RULES: Readonly<Record<number, StatusRule>> = {
  400: { kind: 'REFUSED', code: 'ADYEN.BAD_REQUEST', advice: 'the request is malformed; this is a bug in the connector or its input, do not resend it unchanged.' },
  401: {
    kind: 'REFUSED',
    code: 'ADYEN.UNAUTHORIZED',
    advice: 'check apiKey: it must be the API key of a web-service user of this company account on this environment (TEST keys do not work on LIVE).',
  },
  403: {
    kind: 'REFUSED',
    code: 'ADYEN.FORBIDDEN',
    advice: 'check merchantAccount (error 901: Invalid Merchant Account) and that the API credential has the Checkout webservice and Merchant Recurring roles.',
  },
  404: { kind: 'REFUSED', code: 'ADYEN.NOT_FOUND', advice: 'check baseUrl, environment and liveEndpointUrlPrefix: the endpoint does not exist there.' },
  422: { kind: 'REFUSED', code: 'ADYEN.VALIDATION', advice: 'Adyen refused the request as invalid; fix the request before sending it again.' },
  429: { kind: 'RETRYABLE', code: 'ADYEN.RATE_LIMITED', advice: 'Adyen is rate-limiting this account; retry later with backoff.' },
  500: { kind: 'MAYBE_PROCESSED', code: 'ADYEN.SERVER_ERROR', advice: 'Adyen did not mark it transient: the payment may have been processed.' },
  502: { kind: 'RETRYABLE', code: 'ADYEN.UNAVAILABLE', advice: 'Adyen is unavailable; retry later.' },
  503: { kind: 'RETRYABLE', code: 'ADYEN.UNAVAILABLE', advice: 'Adyen is unavailable; retry later.' },
  504: { kind: 'MAYBE_PROCESSED', code: 'ADYEN.GATEWAY_TIMEOUT', advice: 'Adyen timed out upstream: the payment may have been processed.' },
};

const REFUSING_ERROR_TYPES = new Set(['validation', 'configuration', 'security']);

/** Reads an error thrown by the SDK; `undefined` when it is not an HTTP answer from Adyen. */
export function classifyAdyenError(error: unknown): AdyenErrorVerdict | undefined {
  if (!(error instanceof HttpClientException)) return undefined;
  const status = error.statusCode;
  const api = error.apiError;
  const said = `HTTP ${status}${api?.errorCode === undefined ? '' : `, errorCode ${api.errorCode}`}${api?.message === undefined ? '' : ` (${api.message})`}`;
  if (api?.errorCode === '704') return { kind: 'IN_PROGRESS', message: `Adyen is still processing the first request with this idempotency key: ${said}` };
  if (headerValue(error, 'transient-error') === 'true') return { kind: 'RETRYABLE', code: 'ADYEN.TRANSIENT', message: `Adyen answered a transient error: ${said}; retry later.` };
  if (status === 500 && api?.errorType !== undefined && REFUSING_ERROR_TYPES.has(api.errorType)) {
    return { kind: 'REFUSED', code: `ADYEN.${api.errorType.toUpperCase()}`, message: `Adyen refused the request: ${said}.`, validation: api.errorType === 'validation' };
  }
  const rule = STATUS_RULES[status] ?? (status >= 500 ? STATUS_RULES[500] : STATUS_RULES[400]);
  const message = `Adyen answered ${said}: ${rule?.advice ?? ''}`;
  if (rule === undefined || rule.kind === 'REFUSED') return { kind: 'REFUSED', code: rule?.code ?? 'ADYEN.REFUSED', message, validation: status === 422 };
  if (rule.kind === 'RETRYABLE') return { kind: 'RETRYABLE', code: rule.code, message };
  return { kind: 'MAYBE_PROCESSED', message };
}

function headerValue(error: HttpClientException, name: string): string | undefined {
  const value = error.responseHeaders?.[name];
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase();
}
