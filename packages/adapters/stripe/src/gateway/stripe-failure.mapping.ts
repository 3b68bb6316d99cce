import type { ChargeResult, ChargeStatusResult, ChargeTechnicalFailure, ChargeUnknownOutcome, GatewayType, RefundResult, RefundStatusResult } from '@aegispay/domain';
import { StripeConnectionRefusedError, StripeIdempotencyConflictError } from '../errors/stripe.errors';
import { declineTypeOf } from './stripe-decline-codes';
import type { StripeFailure } from './stripe-failure';

/** What a failed charge call returns (or throws: a reused key, a connection never opened). */
export function chargeResultOfFailure(gateway: GatewayType, reference: string, failure: StripeFailure, cause: unknown): ChargeResult {
  if (failure.kind === 'DECLINED') return { outcome: 'DECLINED', declineCode: failure.code, declineType: declineTypeOf(failure.code), message: failure.message };
  if (failure.kind === 'REFUSED') return { outcome: 'TECHNICAL_FAILURE', errorCode: failure.code, retryable: false, message: failure.message };
  return moneyMaybeMoved(gateway, 'charge', reference, failure, cause);
}

/**
 * What a failed status call says. Never `NOT_FOUND`: Stripe cannot enforce our deadlines, so a
 * request may always still land (see the README, "Status resolution").
 */
export function chargeStatusOfFailure(gateway: GatewayType, failure: StripeFailure): ChargeStatusResult {
  switch (failure.kind) {
    case 'DECLINED':
      return { status: 'DECLINED', declineCode: failure.code, declineType: declineTypeOf(failure.code) };
    case 'IN_FLIGHT':
      // The first request is being carried out right now: it exists and has no answer yet.
      return { status: 'PENDING' };
    default:
      return { status: 'UNKNOWN', reason: `${gateway} could not tell: ${describe(failure)}` };
  }
}

/** What a failed refund call returns (or throws: a reused key, a connection never opened). */
export function refundResultOfFailure(gateway: GatewayType, reference: string, failure: StripeFailure, cause: unknown): RefundResult {
  if (failure.kind === 'DECLINED' || failure.kind === 'REFUSED') return { outcome: 'REJECTED', code: failure.code, message: failure.message };
  return moneyMaybeMoved(gateway, 'refund', reference, failure, cause);
}

/**
 * What charges and refunds answer alike: `TECHNICAL_FAILURE` when Stripe did nothing, `UNKNOWN` when
 * it may have acted; a reused key and a connection never opened are thrown.
 */
function moneyMaybeMoved(
  gateway: GatewayType,
  operation: 'charge' | 'refund',
  reference: string,
  failure: Exclude<StripeFailure, { kind: 'DECLINED' | 'REFUSED' }>,
  cause: unknown,
): ChargeTechnicalFailure | ChargeUnknownOutcome {
  switch (failure.kind) {
    case 'FAILED':
      return { outcome: 'TECHNICAL_FAILURE', errorCode: failure.code, retryable: failure.retryable, message: failure.message };
    case 'IN_FLIGHT':
      return { outcome: 'UNKNOWN', reason: `another ${operation} with reference "${reference}" is still being carried out by ${gateway}: ${failure.message}` };
    case 'INDETERMINATE':
      return { outcome: 'UNKNOWN', reason: failure.reason };
    case 'IDEMPOTENCY_CONFLICT':
      throw new StripeIdempotencyConflictError(gateway, operation, reference, { cause });
    case 'NOT_SENT':
      throw new StripeConnectionRefusedError(gateway, failure.errno, { cause });
  }
}

/**
 * What a failed refund status call says. A refund replay that Stripe refuses (nothing left to
 * refund, no such PaymentIntent) is `REJECTED`: within the key window, Stripe would have answered a
 * refund it had carried out with that refund. A refused lookup by id is `UNKNOWN`, never `NOT_FOUND`.
 */
export function refundStatusOfFailure(gateway: GatewayType, failure: StripeFailure, replayed: boolean): RefundStatusResult {
  if (replayed && (failure.kind === 'REFUSED' || failure.kind === 'DECLINED')) return { status: 'REJECTED', code: failure.code, message: failure.message };
  if (failure.kind === 'IN_FLIGHT') return { status: 'PENDING' };
  return { status: 'UNKNOWN', reason: `${gateway} could not tell: ${describe(failure)}` };
}

function describe(failure: StripeFailure): string {
  switch (failure.kind) {
    case 'INDETERMINATE':
      return failure.reason;
    case 'NOT_SENT':
      return `Stripe could not be reached (${failure.errno})`;
    default:
      return `${failure.kind.toLowerCase().replace('_', ' ')}: ${failure.message}`;
  }
}
