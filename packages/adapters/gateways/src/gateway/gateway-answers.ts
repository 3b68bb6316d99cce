import type { ChargeStatusQuery, ChargeStatusResult, ChargeTechnicalFailure, Clock, RefundStatusQuery, RefundStatusResult } from '@aegispay/domain';
import type { ChargeRecord, RefundRecord } from '../ledger/charge-ledger';
import { CONNECTION_RESET, SERVICE_UNAVAILABLE } from '../simulation/technical-failures';

/** @internal A charge or refund to a gateway down in `FAST_FAIL` mode. */
export const UNAVAILABLE: ChargeTechnicalFailure = Object.freeze({
  outcome: 'TECHNICAL_FAILURE',
  errorCode: SERVICE_UNAVAILABLE,
  retryable: true,
  message: '503 Service Unavailable: the gateway is down; nothing was processed.',
});

/** @internal A charge or refund swallowed by a `BLACKHOLE`, answered when the gateway comes back. */
export const RESET: ChargeTechnicalFailure = Object.freeze({
  outcome: 'TECHNICAL_FAILURE',
  errorCode: CONNECTION_RESET,
  retryable: true,
  message: 'The connection was reset: the gateway dropped the request unprocessed.',
});

/** @internal A charge or refund that arrived after its deadline: refused and not recorded. */
export const EXPIRED: ChargeTechnicalFailure = Object.freeze({
  outcome: 'TECHNICAL_FAILURE',
  errorCode: 'REQUEST_EXPIRED',
  retryable: true,
  message: 'The request arrived after its deadline and was not processed.',
});

/** @internal A lookup to a gateway down in `FAST_FAIL` mode. */
export const STATUS_UNAVAILABLE = Object.freeze({ status: 'UNKNOWN', reason: SERVICE_UNAVAILABLE } as const);

/** @internal A lookup swallowed by a `BLACKHOLE`, answered when the gateway comes back. */
export const STATUS_RESET = Object.freeze({ status: 'UNKNOWN', reason: CONNECTION_RESET } as const);

const NOT_FOUND = Object.freeze({ status: 'NOT_FOUND' } as const);
const NOT_RECEIVED_YET = Object.freeze({
  status: 'UNKNOWN',
  reason: 'NOT_RECEIVED_YET: the gateway has not received this reference; the request may still arrive until its deadline.',
} as const);
const PENDING: ChargeStatusResult = Object.freeze({ status: 'PENDING' });

/** @internal What the ledger says of a charge it received: its decision, or `PENDING` while it is processed. */
export function chargeStatusOf(charge: ChargeRecord): ChargeStatusResult {
  const { result } = charge;
  if (result === null) return PENDING;
  if (result.outcome === 'DECLINED') {
    return Object.freeze({ status: 'DECLINED', declineCode: result.declineCode, declineType: result.declineType });
  }
  return Object.freeze({
    status: 'APPROVED',
    gatewayReference: result.gatewayReference,
    amount: charge.request.amount,
    ...(result.fee === undefined ? {} : { fee: result.fee }),
  });
}

/** @internal What the ledger says of a refund it received (refunds are decided on arrival). */
export function refundStatusOf(refund: RefundRecord): RefundStatusResult {
  const { result, request } = refund;
  return result.outcome === 'REFUNDED'
    ? Object.freeze({ status: 'REFUNDED', gatewayReference: result.gatewayReference, amount: request.amount })
    : Object.freeze({ status: 'REJECTED', code: result.code, ...(result.message === undefined ? {} : { message: result.message }) });
}

/**
 * @internal What a lookup of a reference the ledger never received answers. With the
 * original request: `NOT_FOUND` once its deadline has passed (it can no longer be acted on),
 * `UNKNOWN` before that or without a deadline (it may still be on its way). By reference alone the
 * gateway cannot know the deadline; it answers `NOT_FOUND`, trusting the caller that the request
 * can no longer arrive (`PaymentRecovery` asks so, long after it was sent).
 */
export function unseenAnswer(query: ChargeStatusQuery | RefundStatusQuery, clock: Clock): typeof NOT_FOUND | typeof NOT_RECEIVED_YET {
  if (query.request === undefined) return NOT_FOUND;
  const { deadline } = query.request;
  return deadline !== undefined && clock.now() > deadline ? NOT_FOUND : NOT_RECEIVED_YET;
}
