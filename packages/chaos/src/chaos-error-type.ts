/**
 * How an injected failure surfaces: the kind of error a real gateway client would see. Use the
 * members as values (`ChaosErrorType.SERVICE_UNAVAILABLE`) or their string literals.
 */
export const ChaosErrorType = Object.freeze({
  /** The connection failed (refused, reset, DNS): no HTTP answer at all. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** No answer within `timeoutMs`; surfaces as a {@link ChaosTimeoutError} after waiting that long. */
  TIMEOUT: 'TIMEOUT',
  /** HTTP 503 Service Unavailable. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** HTTP 429 Too Many Requests. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** HTTP 500 Internal Server Error. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** The client's connection pool had no free connection within `resourcePool.acquireTimeoutMs`. */
  RESOURCE_EXHAUSTED: 'RESOURCE_EXHAUSTED',
} as const);

/** One of the {@link ChaosErrorType} values. */
export type ChaosErrorType = (typeof ChaosErrorType)[keyof typeof ChaosErrorType];

/** Every {@link ChaosErrorType}, in declaration order. */
export const CHAOS_ERROR_TYPES: readonly ChaosErrorType[] = Object.freeze(Object.values(ChaosErrorType));

/** The error types injected when `ChaosConfig.errorTypes` is not given: the five of the spec. */
export const DEFAULT_CHAOS_ERROR_TYPES: readonly ChaosErrorType[] = Object.freeze([
  ChaosErrorType.NETWORK_ERROR,
  ChaosErrorType.TIMEOUT,
  ChaosErrorType.SERVICE_UNAVAILABLE,
  ChaosErrorType.RATE_LIMITED,
  ChaosErrorType.INTERNAL_ERROR,
]);

/** The HTTP status a real gateway would answer with for each type (`null`: no HTTP answer). */
export const CHAOS_HTTP_STATUS: Readonly<Record<ChaosErrorType, number | null>> = Object.freeze({
  NETWORK_ERROR: null,
  TIMEOUT: null,
  SERVICE_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  RESOURCE_EXHAUSTED: null,
});

/** True when `value` is one of the {@link ChaosErrorType} values. */
export function isChaosErrorType(value: unknown): value is ChaosErrorType {
  return typeof value === 'string' && (CHAOS_ERROR_TYPES as readonly string[]).includes(value);
}

/**
 * The mechanism that produced an injection, one per failure type of the spec: added latency,
 * random errors (`failureRate`), timeouts (`timeoutRate`), intermittent bursts, cascading
 * failures from a linked gateway, and resource (connection pool) exhaustion.
 */
export type ChaosInjectionKind = 'LATENCY' | 'ERROR' | 'TIMEOUT' | 'INTERMITTENT' | 'CASCADING' | 'RESOURCE_EXHAUSTION';

/** The gateway operations chaos can be applied to. */
export type ChaosOperation = 'charge' | 'refund' | 'getStatus' | 'getRefundStatus';

/**
 * When an injected timeout happens relative to the real gateway call:
 * - `BEFORE`: the request never left (a connect timeout). Nothing was charged; retrying is safe.
 * - `AFTER`: the real gateway was called and did its work (a charge went through), but the
 *   response was lost. The caller must resolve the outcome (`getStatus(reference)`) before doing
 *   anything else.
 * - `MIXED`: each timeout is `AFTER` with probability `afterTimeoutShare`, else `BEFORE`.
 */
export type TimeoutPhase = 'BEFORE' | 'AFTER' | 'MIXED';
