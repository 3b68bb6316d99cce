/** A technical failure and how often a gateway produces it, relative to its other failures. */
export interface TechnicalFailureMixEntry {
  /** Stable error code (`INTERNAL_ERROR`, `RATE_LIMITED`). */
  readonly errorCode: string;
  /** Whether retrying (here or elsewhere) is safe and sensible. */
  readonly retryable: boolean;
  /** Relative weight among the gateway's technical failures (≥ 0). */
  readonly weight: number;
  /** Human-readable explanation returned with the failure. */
  readonly message?: string;
}

/** Default technical failures: half 500s, the rest 429s and 502s, all retryable (nothing was charged). */
export const DEFAULT_TECHNICAL_FAILURE_MIX: readonly TechnicalFailureMixEntry[] = Object.freeze([
  Object.freeze({ errorCode: 'INTERNAL_ERROR', retryable: true, weight: 50, message: '500 Internal Server Error: the request failed before processing.' }),
  Object.freeze({ errorCode: 'RATE_LIMITED', retryable: true, weight: 30, message: '429 Too Many Requests: the request was refused before processing.' }),
  Object.freeze({ errorCode: 'BAD_GATEWAY', retryable: true, weight: 20, message: '502 Bad Gateway: the request failed before processing.' }),
]);

/** The error code of the fast failures of a gateway taken down in `FAST_FAIL` mode (HTTP 503). */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** The error code answered to requests swallowed by a `BLACKHOLE` when the gateway is brought back. */
export const CONNECTION_RESET = 'CONNECTION_RESET';
