import type { DeclineType, GatewayType, NextAction, Payment, PaymentSnapshot, PaymentStatus } from '@aegispay/domain';

/** Why a payment was refused before any gateway was called. */
export type RejectionCode = 'VALIDATION_FAILED' | 'FRAUD_REJECTED';

/** The failure codes the pipeline itself gives a payment that no gateway charged. */
export type PipelineFailureCode = 'ALL_GATEWAYS_FAILED' | 'NO_GATEWAY_AVAILABLE' | 'INTERRUPTED' | 'ABANDONED';

/** What every answer about a stored payment carries. */
interface StoredPaymentAnswer {
  readonly paymentId: string;
  readonly status: PaymentStatus;
  /** A sentence a person can read. */
  readonly reason: string;
  /** Gateway calls sent for this payment so far. */
  readonly attempts: number;
  /** True when this is the stored answer of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
  /** The payment as stored when the answer was given. */
  readonly payment: PaymentSnapshot;
}

/** `SUCCEEDED`: `gateway` captured the payment; it is `PAID`. */
export interface PaymentSucceededResult extends StoredPaymentAnswer {
  readonly outcome: 'SUCCEEDED';
  readonly gateway: GatewayType;
}

/** `DECLINED`: the issuer or gateway declined it; the payment is `FAILED` with the decline code. */
export interface PaymentDeclinedResult extends StoredPaymentAnswer {
  readonly outcome: 'DECLINED';
  readonly gateway: GatewayType;
  /** The decline code (`insufficient_funds`, `stolen_card`…). */
  readonly code: string;
  readonly declineType: DeclineType;
}

/** `FAILED`: no gateway could process it (technical failures everywhere, no healthy gateway, an interrupted payment). */
export interface PaymentFailedResult extends StoredPaymentAnswer {
  readonly outcome: 'FAILED';
  /** The last gateway that answered, when one did. */
  readonly gateway: GatewayType | null;
  readonly code: string;
}

/** `REJECTED`: refused before any gateway was called (pre-validation or fraud hooks). */
export interface PaymentRejectedResult extends StoredPaymentAnswer {
  readonly outcome: 'REJECTED';
  readonly code: RejectionCode;
}

/** `REQUIRES_ACTION`: the gateway waits for the customer (3-D Secure, a redirect); hand them `action`. */
export interface PaymentActionRequiredResult extends StoredPaymentAnswer {
  readonly outcome: 'REQUIRES_ACTION';
  readonly gateway: GatewayType;
  readonly action: NextAction | null;
}

/** `PENDING`: the gateway holds the payment and decides later; it stays `PROCESSING` until it says. */
export interface PaymentPendingResult extends StoredPaymentAnswer {
  readonly outcome: 'PENDING';
  readonly gateway: GatewayType;
}

/**
 * `PENDING_RECOVERY`: a gateway may have charged but did not say; the payment stays `PROCESSING`
 * until recovery learns the outcome from that gateway. No other gateway is tried.
 */
export interface PaymentPendingRecoveryResult extends StoredPaymentAnswer {
  readonly outcome: 'PENDING_RECOVERY';
  readonly gateway: GatewayType;
  /** What made the outcome unknown (`RESILIENCE.TIMEOUT`, `UNKNOWN_OUTCOME`…). */
  readonly code: string;
}

/** `IN_PROGRESS`: another request with the same idempotency key is still running; no payment to show yet. */
export interface PaymentInProgressResult {
  readonly outcome: 'IN_PROGRESS';
  readonly code: 'IDEMPOTENCY_IN_PROGRESS';
  readonly reason: string;
  readonly replayed: false;
}

/** The answer of `processPayment`: JSON data, so it can be stored and replayed for an idempotency key. */
export type PaymentResult =
  | PaymentSucceededResult
  | PaymentDeclinedResult
  | PaymentFailedResult
  | PaymentRejectedResult
  | PaymentActionRequiredResult
  | PaymentPendingResult
  | PaymentPendingRecoveryResult
  | PaymentInProgressResult;

/** How a `processPayment` call ended. */
export type PaymentOutcome = PaymentResult['outcome'];

/** An answer about a stored payment: every outcome but `IN_PROGRESS`. */
export type StoredPaymentResult = Exclude<PaymentResult, PaymentInProgressResult>;

/** The outcomes after which the payment will not change by itself: only these are stored as an idempotency key's answer. */
export type FinalPaymentResult = PaymentSucceededResult | PaymentDeclinedResult | PaymentFailedResult | PaymentRejectedResult;

/** True for {@link FinalPaymentResult}s. */
export function isFinalResult(result: PaymentResult): result is FinalPaymentResult {
  return result.outcome === 'SUCCEEDED' || result.outcome === 'DECLINED' || result.outcome === 'FAILED' || result.outcome === 'REJECTED';
}

/** What a result says beyond the payment itself. */
export type ResultFacts =
  | { readonly outcome: 'SUCCEEDED'; readonly gateway: GatewayType }
  | { readonly outcome: 'DECLINED'; readonly gateway: GatewayType; readonly code: string; readonly declineType: DeclineType }
  | { readonly outcome: 'FAILED'; readonly gateway: GatewayType | null; readonly code: string }
  | { readonly outcome: 'REJECTED'; readonly code: RejectionCode }
  | { readonly outcome: 'REQUIRES_ACTION'; readonly gateway: GatewayType; readonly action: NextAction | null }
  | { readonly outcome: 'PENDING'; readonly gateway: GatewayType }
  | { readonly outcome: 'PENDING_RECOVERY'; readonly gateway: GatewayType; readonly code: string };

/** The result of a stored `payment`: `facts`, the `reason`, and the payment's data. */
export function resultOf(payment: Payment, facts: ResultFacts, reason: string, replayed = false): StoredPaymentResult {
  return {
    ...facts,
    paymentId: payment.id,
    status: payment.status,
    reason,
    attempts: sentAttempts(payment),
    replayed,
    payment: payment.toSnapshot(),
  };
}

/** The answer for a request while another with its idempotency key runs. */
export function inProgressResult(key: string): PaymentInProgressResult {
  return { outcome: 'IN_PROGRESS', code: 'IDEMPOTENCY_IN_PROGRESS', reason: `A request with idempotency key "${key}" is still being processed.`, replayed: false };
}

/** Gateway calls that were sent, or may have been (refusals before sending are not attempts a gateway saw). */
export function sentAttempts(payment: Pick<Payment, 'attempts'>): number {
  let sent = 0;
  for (const attempt of payment.attempts) if (attempt.outcome !== 'NOT_SENT') sent += 1;
  return sent;
}

const REJECTIONS: readonly string[] = ['VALIDATION_FAILED', 'FRAUD_REJECTED'] satisfies readonly RejectionCode[];

/**
 * What a stored payment stands for, read from its state: what the request that created it was (or
 * will be) answered, with `reason`. Used when the answer stored for an idempotency key is gone
 * (expired) or was never stored (its process died) while the payment exists.
 */
export function storedResult(payment: Payment, reason: string): StoredPaymentResult | null {
  const last = payment.attempts.at(-1);
  const live = payment.liveAttempt;
  switch (payment.status) {
    case 'PAID':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return resultOf(payment, { outcome: 'SUCCEEDED', gateway: payment.gateway ?? last?.gateway ?? 'UNKNOWN' }, reason, true);
    case 'PROCESSING':
      if (live === undefined || live.outcome === 'IN_FLIGHT') return null;
      return live.outcome === 'PENDING'
        ? resultOf(payment, { outcome: 'PENDING', gateway: live.gateway }, reason, true)
        : resultOf(payment, { outcome: 'PENDING_RECOVERY', gateway: live.gateway, code: live.errorCode ?? 'UNKNOWN_OUTCOME' }, reason, true);
    case 'REQUIRES_ACTION':
      return resultOf(payment, { outcome: 'REQUIRES_ACTION', gateway: live?.gateway ?? 'UNKNOWN', action: payment.nextAction }, reason, true);
    case 'PENDING':
      return null;
    case 'CANCELLED':
      return resultOf(payment, { outcome: 'FAILED', gateway: null, code: payment.failureCode ?? 'ABANDONED' }, reason, true);
    case 'FAILED': {
      const code = payment.failureCode ?? 'FAILED';
      if (last === undefined && REJECTIONS.includes(code)) return resultOf(payment, { outcome: 'REJECTED', code: code as RejectionCode }, reason, true);
      if (last?.outcome === 'DECLINED' && last.declineCode === code && last.declineType !== null) {
        return resultOf(payment, { outcome: 'DECLINED', gateway: last.gateway, code, declineType: last.declineType }, reason, true);
      }
      return resultOf(payment, { outcome: 'FAILED', gateway: last?.gateway ?? null, code }, reason, true);
    }
  }
}
