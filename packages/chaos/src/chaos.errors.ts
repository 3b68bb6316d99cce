import { GatewayTransportError } from '@aegispay/domain';
import { CHAOS_HTTP_STATUS, type ChaosErrorType, type ChaosInjectionKind, type ChaosOperation } from './chaos-error-type';

/** What an injected failure carries. */
export interface ChaosInjectedErrorInit {
  readonly type: ChaosErrorType;
  readonly kind: ChaosInjectionKind;
  readonly gateway: string;
  readonly operation: ChaosOperation;
  /** Idempotency reference of the call (the charge or refund reference, or the looked-up reference). */
  readonly reference: string;
  /** False when the real gateway was never called (every injection but an `AFTER` timeout). */
  readonly mayHaveBeenSent: boolean;
}

const DESCRIPTIONS: Readonly<Record<ChaosErrorType, string>> = {
  NETWORK_ERROR: 'a network error (connection refused)',
  TIMEOUT: 'a timeout',
  SERVICE_UNAVAILABLE: '503 Service Unavailable',
  RATE_LIMITED: '429 Too Many Requests',
  INTERNAL_ERROR: '500 Internal Server Error',
  RESOURCE_EXHAUSTED: 'connection pool exhaustion',
};

/**
 * A failure injected by a {@link ChaosGateway}. Stable code `CHAOS.<TYPE>`
 * (`CHAOS.SERVICE_UNAVAILABLE`). Every injected failure other than an `AFTER` timeout happens
 * before the real gateway is called, so `mayHaveBeenSent` is false: nothing was charged. A
 * {@link GatewayTransportError}, as a real adapter's transport failure would be.
 */
export class ChaosInjectedError extends GatewayTransportError {
  /** How the failure surfaces (503, 429, network error…). */
  readonly type: ChaosErrorType;
  /** Which chaos mechanism produced it (random error, intermittent burst, cascade…). */
  readonly kind: ChaosInjectionKind;
  readonly operation: ChaosOperation;
  readonly reference: string;
  /** The HTTP status a real gateway would have answered with, `null` when there was no answer. */
  readonly httpStatus: number | null;

  constructor(init: ChaosInjectedErrorInit, message?: string, details: Readonly<Record<string, unknown>> = {}) {
    super(
      message ??
        `Chaos: injected ${DESCRIPTIONS[init.type]} on ${init.gateway}.${init.operation} (${init.kind}). ` +
          'The request never reached the gateway, so nothing happened there and retrying is safe.',
      {
        gateway: init.gateway,
        mayHaveBeenSent: init.mayHaveBeenSent,
        details: { type: init.type, kind: init.kind, operation: init.operation, reference: init.reference, ...details },
      },
      `CHAOS.${init.type}`,
    );
    this.type = init.type;
    this.kind = init.kind;
    this.operation = init.operation;
    this.reference = init.reference;
    this.httpStatus = CHAOS_HTTP_STATUS[init.type];
  }
}

/**
 * An injected timeout (code `CHAOS.TIMEOUT`), thrown after the caller has waited `timeoutMs` on
 * the gateway's clock. `phase` says whether the real gateway was called:
 * - `BEFORE`: it was not; `mayHaveBeenSent` is false.
 * - `AFTER`: it was and did its work (a charge went through), only the answer was lost;
 *   `mayHaveBeenSent` is true (except for the status lookups, which are reads).
 *
 * `ChaosInjectedError.is(error)` is also true for a timeout.
 */
export class ChaosTimeoutError extends ChaosInjectedError {
  readonly phase: 'BEFORE' | 'AFTER';
  /** How long the caller waited, in ms of the gateway's clock. */
  readonly timeoutMs: number;

  constructor(init: Omit<ChaosInjectedErrorInit, 'type' | 'mayHaveBeenSent'> & { phase: 'BEFORE' | 'AFTER'; timeoutMs: number }) {
    const mayHaveBeenSent = init.phase === 'AFTER' && init.operation !== 'getStatus' && init.operation !== 'getRefundStatus';
    const where = `${init.gateway}.${init.operation}`;
    const message =
      init.phase === 'BEFORE'
        ? `Chaos: ${where} timed out after ${init.timeoutMs} ms before the request was sent (${init.kind}). ` +
          'Nothing reached the gateway; retrying is safe.'
        : `Chaos: ${where} timed out after ${init.timeoutMs} ms; the gateway received request ${init.reference} ` +
          `and its answer was lost (${init.kind}). It may have taken effect: call getStatus('${init.reference}') ` +
          'before retrying, and never retry on another gateway while the outcome is unknown.';
    super({ ...init, type: 'TIMEOUT', mayHaveBeenSent }, message, { phase: init.phase, timeoutMs: init.timeoutMs });
    this.phase = init.phase;
    this.timeoutMs = init.timeoutMs;
  }
}
